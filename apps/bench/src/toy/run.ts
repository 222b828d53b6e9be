/** The toy suite (work in progress). */
import type { NeuralSuiteOptions } from '../images/dispatch.js';
import type { BenchIo } from '../main.js';
import type { ToySuiteConfig } from './config.js';

/** Runs the toy suite. */
export async function runToySuite(
  _config: ToySuiteConfig,
  _options: NeuralSuiteOptions,
  _io: BenchIo,
): Promise<{ directory: string; text: string }> {
  throw new Error('the toy suite is not ready yet');
}
