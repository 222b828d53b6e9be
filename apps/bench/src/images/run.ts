/** The image suite (work in progress). */
import type { BenchIo } from '../main.js';
import type { ImageSuiteConfig } from './config.js';
import type { NeuralSuiteOptions } from './dispatch.js';

/** Runs the image suite. */
export async function runImagesSuite(
  _config: ImageSuiteConfig,
  _options: NeuralSuiteOptions,
  _io: BenchIo,
): Promise<{ directory: string; text: string }> {
  throw new Error('the images suite is not ready yet');
}
