/**
 * Benchmark of every kernel on the paper's 10-D mixture (ALGORITHMS.md §7; bench/mixture-quality.ts), each at its
 * best settings: steps per second, mean acceptance, and the quality reached on the same budget of evaluations.
 * `pnpm --filter @rtk-diffusion/mcmc bench` (after a build) runs `node dist/bench/kernels.js`. Not exported, not
 * published; importing this module does nothing.
 *
 * Fairness: every kernel gets the same budget of NFE (gradients + log-densities) a chain, so HMC makes fewer steps
 * than ULA. The chains start at exact samples of the even-numbered components only, so the budget must be spent
 * moving mass into the empty modes; quality is the mode error and the within-mode spread against exact samples
 * (mixture-quality.ts). Each kernel's settings are chosen from a small grid ({@link kernelGrids}: the step size;
 * also the friction for `uld` and `baoab`) by the lowest mode error + |spread − 1| on a tuning seed, with its own
 * starting points and exact samples; the reported run uses another seed, other starting points and other exact
 * samples. `mala (dual averaging)` takes τ from `tuneStepSize` instead (100 warm-up steps toward acceptance
 * 0.574, on the tuning starts). Reference lines give the quality of the starting points and of a second exact
 * sample (the noise floor). Defaults: 3000 chains and 60 NFE a chain (`MCMC_BENCH_CHAINS`, `MCMC_BENCH_NFE`); at
 * 200 NFE every kernel already reaches the noise floor, and the grid search would pick noise. Timings include the run loop and the per-step read-back of the diagnostics, after 10
 * untimed steps; on a loaded machine they vary by 2× between identical kernels.
 */
import { createRng, initBackend, type Rng, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import type { ExactTarget } from '@rtk-diffusion/test-utils';
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
import {
  MIXTURE_VARIANCE,
  type ModeStatistics,
  mixtureQuality,
  modeStatistics,
  paperMixture,
  qualityScore,
} from './mixture-quality.js';

/** Steps run before timing each kernel (JIT compilation and allocator warm-up make the first steps slower). */
const UNTIMED_STEPS = 10;

/** One line of the benchmark. */
export interface KernelBenchmark {
  readonly kernel: string;
  /** The chosen settings, and how many were tried. */
  readonly settings: string;
  readonly candidates: number;
  readonly chains: number;
  /** Steps of the reported run: the NFE budget over the kernel's NFE a step. */
  readonly steps: number;
  /** Kernel steps per second over the whole batch. */
  readonly stepsPerSecond: number;
  /** Chain-steps per second (chains × steps per second). */
  readonly chainStepsPerSecond: number;
  /** Evaluations (grad + logDensity) per step. */
  readonly nfePerStep: number;
  /** Mean acceptance over the run (undefined for unadjusted kernels). */
  readonly meanAcceptance: number | undefined;
  /** Mode error after the budget against exact samples (mixture-quality.ts; 0 is right). */
  readonly modeError: number;
  /** Within-mode spread after the budget over exact samples' (1 is right; ∞ if a chain diverged). */
  readonly spread: number;
}

/** The benchmark: a row per kernel, and the quality of the starting points and of a second exact sample. */
export interface KernelBenchmarkResult {
  readonly rows: readonly KernelBenchmark[];
  readonly start: { readonly modeError: number; readonly spread: number };
  readonly exact: { readonly modeError: number; readonly spread: number };
  readonly nfe: number;
}

/** A kernel with its settings, as a grid point. */
interface Candidate {
  readonly settings: string;
  readonly kernel: Kernel;
}

/** Where the chains start: exact samples of the even-numbered components only (every other mode empty). */
const START = paperMixture(Array.from({ length: 18 }, (_, k) => (k % 2 === 0 ? 1 : 0)));

/**
 * The settings each kernel is tuned over, in units of the smoothness L = 1/0.007 (ALGORITHMS.md §5): τ for the
 * Langevin kernels (ULA is stable below 2/L), h and γ for the kinetic ones (γ = 2√L damps critically), ε with 5
 * leapfrog steps for HMC.
 */
export function kernelGrids(smoothness = 1 / MIXTURE_VARIANCE): [string, Candidate[]][] {
  const root = Math.sqrt(smoothness);
  const langevin = [0.1, 0.2, 0.4, 0.8, 1.6];
  const kinetic = (make: (h: number, friction: number) => Kernel) =>
    [0.1, 0.2, 0.4, 0.8, 1.6].flatMap((h) =>
      [1, 2, 4].map((g) => ({ settings: `h = ${h}/√L, γ = ${g}√L`, kernel: make(h / root, g * root) })),
    );
  const tau = (values: number[], make: (stepSize: number) => Kernel) =>
    values.map((c) => ({ settings: `τ = ${c}/L`, kernel: make(c / smoothness) }));
  return [
    ['ula', tau([0.05, 0.1, 0.2, 0.4, 0.8], (stepSize) => ula({ stepSize }))],
    ['mala', tau(langevin, (stepSize) => mala({ stepSize }))],
    ['mala-score-only (trapezoid)', tau(langevin, (stepSize) => malaScoreOnly({ stepSize }))],
    ['mala-score-only (simpson)', tau(langevin, (stepSize) => malaScoreOnly({ stepSize, rule: 'simpson' }))],
    ['uld', kinetic((stepSize, friction) => uld({ stepSize, friction }))],
    ['baoab', kinetic((stepSize, friction) => baoab({ stepSize, friction }))],
    [
      'hmc',
      [0.1, 0.2, 0.4, 0.8].map((c) => ({
        settings: `ε = ${c}/√L, 5 leapfrog steps`,
        kernel: hmc({ stepSize: c / root, leapfrogSteps: 5 }),
      })),
    ],
  ];
}

/** A seed's starting points and exact samples. */
interface Draw {
  readonly start: Tensor2D;
  readonly exact: ModeStatistics;
  readonly rng: Rng;
}

function draw(target: ExactTarget, chains: number, rng: Rng): Draw {
  const start = START.sample(chains, rng.fork('start'));
  const exact = target.sample(chains, rng.fork('exact'));
  const statistics = modeStatistics(exact.dataSync());
  exact.dispose();
  return { start, exact: statistics, rng };
}

/** Runs `kernel` for the budget from `from.start` and scores the result. */
async function evaluate(kernel: Kernel, target: ExactTarget, from: Draw, nfe: number, timed = false) {
  const nfePerStep = countNfe(kernel.evaluationsPerStep);
  const steps = Math.max(1, Math.round(nfe / nfePerStep));
  const options = { rng: from.rng.fork(kernel.name), onDivergence: 'continue' as const };
  if (timed) (await run(kernel, target, from.start, { ...options, steps: UNTIMED_STEPS })).x.dispose();
  const start = performance.now();
  const result = await run(kernel, target, from.start, { ...options, steps });
  const seconds = (performance.now() - start) / 1000;
  const x = (await result.x.data()) as Float32Array;
  result.x.dispose();
  return {
    steps,
    seconds,
    nfePerStep,
    ...mixtureQuality(x, from.exact),
    acceptance: result.acceptance?.mean,
  };
}

/**
 * Tunes every kernel on one seed and runs it at its best settings on another, with `chains` chains and a budget of
 * `nfe` evaluations a chain.
 */
export async function benchmarkKernels(options: {
  chains: number;
  nfe: number;
  seed?: number;
}): Promise<KernelBenchmarkResult> {
  const { chains, nfe, seed = 0 } = options;
  const target = paperMixture();
  const tuning = draw(target, chains, createRng(seed).fork('tuning'));
  const reported = draw(target, chains, createRng(seed).fork('reported'));
  const rows: KernelBenchmark[] = [];
  try {
    const dualAveraging = await tuneStepSize((stepSize) => mala({ stepSize }), target, tuning.start, {
      initialStepSize: 0.1 * MIXTURE_VARIANCE,
      warmupSteps: 100,
      rng: tuning.rng.fork('dual-averaging'),
    });
    dualAveraging.x.dispose();
    const adapted = dualAveraging.stepSize as number;
    const families: [string, Candidate[]][] = [
      ...kernelGrids(),
      [
        'mala (dual averaging)',
        [
          {
            settings: `τ = ${(adapted / MIXTURE_VARIANCE).toFixed(2)}/L`,
            kernel: mala({ stepSize: adapted }),
          },
        ],
      ],
    ];
    for (const [label, candidates] of families) {
      let best = candidates[0]!;
      let bestScore = Number.POSITIVE_INFINITY;
      for (const candidate of candidates.length > 1 ? candidates : []) {
        const score = qualityScore(await evaluate(candidate.kernel, target, tuning, nfe));
        if (score < bestScore) [best, bestScore] = [candidate, score];
      }
      const result = await evaluate(best.kernel, target, reported, nfe, true);
      rows.push({
        kernel: label,
        settings: best.settings,
        candidates: candidates.length,
        chains,
        steps: result.steps,
        stepsPerSecond: result.steps / result.seconds,
        chainStepsPerSecond: (chains * result.steps) / result.seconds,
        nfePerStep: result.nfePerStep,
        meanAcceptance: result.acceptance,
        modeError: result.modeError,
        spread: result.spread,
      });
    }
    const second = target.sample(chains, createRng(seed).fork('second-exact'));
    const exact = mixtureQuality(second.dataSync(), reported.exact);
    second.dispose();
    return { rows, nfe, start: mixtureQuality(reported.start.dataSync(), reported.exact), exact };
  } finally {
    tf.dispose([tuning.start, reported.start]);
  }
}

/** The result as an aligned text table. */
export function formatBenchmark(result: KernelBenchmarkResult): string {
  const header = [
    'kernel',
    'steps/s',
    'chain-steps/s',
    'NFE/step',
    'steps',
    'acceptance',
    'mode error',
    'spread',
    'best of',
  ];
  const lines = result.rows.map((row) => [
    row.kernel,
    row.stepsPerSecond.toFixed(1),
    row.chainStepsPerSecond.toExponential(2),
    String(row.nfePerStep),
    String(row.steps),
    row.meanAcceptance === undefined ? '—' : row.meanAcceptance.toFixed(3),
    row.modeError.toFixed(3),
    row.spread.toFixed(3),
    `${row.candidates}: ${row.settings}`,
  ]);
  const reference = (label: string, quality: KernelBenchmarkResult['start'], note = '') => [
    ...[label, '', '', '', '', ''],
    ...[quality.modeError.toFixed(3), quality.spread.toFixed(3), note],
  ];
  const references = [
    reference('starting points', result.start),
    reference('exact samples', result.exact, '(noise floor)'),
  ];
  const all = [header, ...lines, ...references];
  const widths = header.map((h, i) => Math.max(h.length, ...all.map((line) => line[i]!.length)));
  return all
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const chains = Number(process.env.MCMC_BENCH_CHAINS ?? 3000);
  const nfe = Number(process.env.MCMC_BENCH_NFE ?? 60);
  console.log(
    `mcmc kernels on the 10-D, 18-component mixture (variance 0.007); ${chains} chains, ${nfe} NFE a chain, ` +
      `settings tuned on another seed; backend ${backend.name}${backend.simd ? ' (SIMD)' : ''}`,
  );
  console.log(formatBenchmark(await benchmarkKernels({ chains, nfe })));
}

const invokedDirectly =
  typeof process !== 'undefined' &&
  process.argv[1] !== undefined &&
  import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await main();
