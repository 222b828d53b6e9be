/**
 * The suites with trained score networks (`pnpm bench --suite images`, `--suite toy`): dispatched from main.ts, loaded
 * by dynamic import so the exact-score suites never load TensorFlow.js layers.
 */
import type { BenchIo } from '../main.js';

/** Options of a suite with trained networks. */
export interface NeuralSuiteOptions {
  /** Parent directory of the run directory; default `results/` at the repository root. */
  readonly out?: string;
  readonly runId?: string;
  /** Directory of the cached networks; default `apps/bench/models/`. */
  readonly models?: string;
  /** Train the networks again even when cached ones exist. */
  readonly retrain?: boolean;
  readonly quiet?: boolean;
  /** Worker threads of the image suite (0: inline); default the cores available, at most 2. */
  readonly workers?: number;
}

/** The suites run by {@link runNeuralSuite}. */
export const NEURAL_SUITE_NAMES: readonly string[] = Object.freeze(['images', 'toy']);

/** Runs `images` or `toy` and returns the run directory and a text summary to print. */
export async function runNeuralSuite(
  name: string,
  options: NeuralSuiteOptions,
  io: BenchIo,
): Promise<{ directory: string; text: string }> {
  if (name === 'images') {
    const { runImagesSuite } = await import('./run.js');
    const { IMAGES } = await import('./config.js');
    return runImagesSuite(IMAGES, options, io);
  }
  const { runToySuite } = await import('../toy/run.js');
  const { TOY } = await import('../toy/config.js');
  return runToySuite(TOY, options, io);
}
