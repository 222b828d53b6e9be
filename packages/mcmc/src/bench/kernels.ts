/**
 * Benchmark of every kernel on the paper's 10-D mixture (ALGORITHMS.md §7: 18 equal-weight components with means on
 * the unit circle every 20° in coordinates 1–2, covariance 0.007 I): steps per second and mean acceptance.
 * `pnpm --filter @rtk-diffusion/mcmc bench` (after a build) runs `node dist/bench/kernels.js`. Not exported, not
 * published; importing this module does nothing.
 *
 * Step sizes follow the target's smoothness L = 1/0.007 (ALGORITHMS.md §5): τ = 0.3/L for the Metropolis-adjusted
 * Langevin kernels, 0.1/L for ULA, h = 0.2/sqrt(L) with friction 2 sqrt(L) for the kinetic kernels, ε = 0.5/sqrt(L)
 * with 5 leapfrog steps for HMC; `mala (tuned)` uses the τ that dual averaging toward 0.574 finds in 100 warm-up
 * steps (`tuneStepSize`). Timings include the run loop and the per-step read-back of the diagnostics.
 */
import { createRng, initBackend, tf } from '@rtk-diffusion/tensor';
import { type ExactTarget, isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { tuneStepSize } from '../adapt-step-size.js';
import { baoab } from '../baoab.js';
import { countNfe } from '../evaluations.js';
import { hmc } from '../hmc.js';
import { mala } from '../mala.js';
import { malaScoreOnly } from '../mala-score-only.js';
import { run } from '../run.js';
import type { Kernel } from '../types.js';
import { ula } from '../ula.js';
import { uld } from '../uld.js';

/** Steps run before timing each kernel. */
const UNTIMED_STEPS = 10;

/** One line of the benchmark. */
export interface KernelBenchmark {
  readonly kernel: string;
  readonly settings: string;
  readonly chains: number;
  readonly steps: number;
  /** Kernel steps per second over the whole batch. */
  readonly stepsPerSecond: number;
  /** Chain-steps per second (chains × steps per second). */
  readonly chainStepsPerSecond: number;
  /** Evaluations (grad + logDensity) per step. */
  readonly nfePerStep: number;
  /** Mean acceptance over the timed steps (undefined for unadjusted kernels). */
  readonly meanAcceptance: number | undefined;
}

/** The paper's 10-D mixture. */
export function paperMixture(dim = 10, components = 18, variance = 0.007): ExactTarget {
  const means = Array.from({ length: components }, (_, i) => {
    const angle = (2 * Math.PI * i) / components;
    return Array.from({ length: dim }, (_, j) => (j === 0 ? Math.cos(angle) : j === 1 ? Math.sin(angle) : 0));
  });
  return isotropicMixtureTarget({ weights: new Array(components).fill(1), means, variance });
}

/** Runs every kernel for `steps` timed steps on `chains` chains started at exact samples of the mixture. */
export async function benchmarkKernels(options: {
  chains: number;
  steps: number;
  seed?: number;
}): Promise<KernelBenchmark[]> {
  const { chains, steps, seed = 0 } = options;
  const target = paperMixture();
  const smoothness = 1 / 0.007;
  const rootL = Math.sqrt(smoothness);
  const x0 = target.sample(chains, createRng(seed).fork('start'));
  const tuned = await tuneStepSize((stepSize) => mala({ stepSize }), target, x0, {
    initialStepSize: 0.1 / smoothness,
    warmupSteps: 100,
    rng: createRng(seed).fork('tune'),
  });
  tuned.x.dispose();
  const adapted = tuned.stepSize as number;
  const kernels: [string, Kernel, string][] = [
    ['ula', ula({ stepSize: 0.1 / smoothness }), 'τ = 0.1/L'],
    ['mala', mala({ stepSize: 0.3 / smoothness }), 'τ = 0.3/L'],
    [
      'mala (tuned)',
      mala({ stepSize: adapted }),
      `τ = ${(adapted * smoothness).toFixed(2)}/L by dual averaging`,
    ],
    ['mala-score-only', malaScoreOnly({ stepSize: 0.3 / smoothness }), 'τ = 0.3/L, trapezoid'],
    ['mala-score-only', malaScoreOnly({ stepSize: 0.3 / smoothness, rule: 'simpson' }), 'τ = 0.3/L, simpson'],
    ['uld', uld({ stepSize: 0.2 / rootL, friction: 2 * rootL }), 'h = 0.2/√L, γ = 2√L'],
    ['baoab', baoab({ stepSize: 0.2 / rootL, friction: 2 * rootL }), 'h = 0.2/√L, γ = 2√L'],
    ['hmc', hmc({ stepSize: 0.5 / rootL, leapfrogSteps: 5 }), 'ε = 0.5/√L, L = 5'],
  ];
  const rows: KernelBenchmark[] = [];
  try {
    for (const [label, kernel, settings] of kernels) {
      const rng = createRng(seed).fork(label).fork(settings);
      // Untimed steps first: JIT compilation and allocator warm-up make the first few steps up to 2× slower.
      const warm = await run(kernel, target, x0, { steps: UNTIMED_STEPS, rng: rng.fork('warm-up') });
      const start = performance.now();
      const timed = await run(kernel, target, warm.x, { steps, rng: rng.fork('timed') });
      const seconds = (performance.now() - start) / 1000;
      tf.dispose([warm.x, timed.x]);
      rows.push({
        kernel: label,
        settings,
        chains,
        steps,
        stepsPerSecond: steps / seconds,
        chainStepsPerSecond: (chains * steps) / seconds,
        nfePerStep: countNfe(kernel.evaluationsPerStep),
        meanAcceptance: timed.acceptance?.mean,
      });
    }
  } finally {
    x0.dispose();
  }
  return rows;
}

/** The rows as an aligned text table. */
export function formatBenchmark(rows: readonly KernelBenchmark[]): string {
  const header = ['kernel', 'steps/s', 'chain-steps/s', 'NFE/step', 'acceptance', 'settings'];
  const lines = rows.map((row) => [
    row.kernel,
    row.stepsPerSecond.toFixed(1),
    row.chainStepsPerSecond.toExponential(2),
    String(row.nfePerStep),
    row.meanAcceptance === undefined ? '—' : row.meanAcceptance.toFixed(3),
    row.settings,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  return [header, ...lines]
    .map((line) => line.map((cell, i) => cell.padEnd(widths[i]!)).join('  '))
    .join('\n');
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const chains = Number(process.env.MCMC_BENCH_CHAINS ?? 1000);
  const steps = Number(process.env.MCMC_BENCH_STEPS ?? 100);
  console.log(
    `mcmc kernels on the 10-D, 18-component mixture (variance 0.007); ${chains} chains, ${steps} timed steps; ` +
      `backend ${backend.name}${backend.simd ? ' (SIMD)' : ''}`,
  );
  console.log(formatBenchmark(await benchmarkKernels({ chains, steps })));
}

const invokedDirectly =
  typeof process !== 'undefined' &&
  process.argv[1] !== undefined &&
  import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await main();
