/**
 * The benchmark suites: which targets, sample sizes, NFE budgets and seeds each runs. `quick` is what `pnpm bench`
 * runs (under ten minutes on two cores); `full` is `pnpm bench --full` (the paper's whole NFE grid and 10 … 1000 on
 * ours, three seeds); `tiny` is for tests.
 */
import { SAMPLER_NAMES } from '@rtk-diffusion/samplers';

/** How one target is run in a suite. */
export interface TargetPlan {
  /** Built-in target name (`rtk list`). */
  readonly target: string;
  /** Samples per reported run (and size of the ground-truth reference). */
  readonly n: number;
  /** Samples per tuning run. */
  readonly tuningN: number;
  /** NFE budgets. */
  readonly nfes: readonly number[];
  /** The NFE of the histogram and scatter plots. */
  readonly showcaseNfe: number;
  /** The RTK paper's experiment: paper baselines (DDPM on a uniform time grid), the paper's metric and numbers. */
  readonly paper: boolean;
  /** Relative cost of one score evaluation per sample (for progress and the time estimate only). */
  readonly costFactor: number;
}

/** A suite of targets with its seeds and tuning breadth. */
export interface Suite {
  readonly name: string;
  readonly description: string;
  /** Samplers (registry names). */
  readonly samplers: readonly string[];
  readonly targets: readonly TargetPlan[];
  /** Seeds of the reported runs. */
  readonly seeds: readonly number[];
  /** Seed of every tuning run: never one of `seeds`. */
  readonly tuningSeed: number;
  /** Seed of the ground-truth reference every reported run is scored against. */
  readonly referenceSeed: number;
  /**
   * Seed of the ground-truth reference the tuning runs are scored against, so that no setting is chosen on the sample
   * it is then reported against; default `referenceSeed + 1`.
   */
  readonly tuningReferenceSeed?: number;
  /** First seed of the independent ground-truth samples that give the noise floor. */
  readonly floorSeed: number;
  /** Independent ground-truth samples scored for the floor and its spread (noise of a metric at this n). */
  readonly floorReplicates: number;
  /** Candidate breadth of the tuning: `quick` (4 grids; RTK: 3 segment counts, 2 step sizes, DDPM start) or `full`. */
  readonly tuning: 'quick' | 'full';
  /** Rows used by the O(n²) metrics (MMD, energy distance). */
  readonly maxPairwise: number;
}

/** The paper's NFE grid (ALGORITHMS.md §7): 25, 45, …, 505. */
export const PAPER_NFES: readonly number[] = Object.freeze(Array.from({ length: 25 }, (_, k) => 25 + 20 * k));

/** Our suites' full NFE grid: 10 … 1000. */
export const OUR_NFES: readonly number[] = Object.freeze([10, 20, 50, 100, 200, 500, 1000]);

const COST = { 'paper-mixture': 1, 'grid-2d': 0.7, 'anisotropic-10d': 1.5, 'gaussian-100d': 3 } as const;

function plan(
  target: keyof typeof COST,
  n: number,
  nfes: readonly number[],
  showcaseNfe: number,
  tuningN = n / 2,
): TargetPlan {
  return {
    target,
    n,
    tuningN,
    nfes,
    showcaseNfe,
    paper: target === 'paper-mixture',
    costFactor: COST[target],
  };
}

/** The seeds of every suite: tuning runs, the reported runs' reference, the tuning runs' reference, the floor. */
export const SEEDS = {
  tuningSeed: 1000,
  referenceSeed: 2000,
  tuningReferenceSeed: 2500,
  floorSeed: 3000,
} as const;

/** The default suite of `pnpm bench`: every sampler, four targets, five budgets each, one seed. */
export const QUICK: Suite = Object.freeze({
  name: 'quick',
  description: 'every sampler on the four targets at five NFE budgets each, one seed, quick tuning',
  samplers: SAMPLER_NAMES,
  targets: [
    plan('paper-mixture', 2000, [25, 45, 105, 205, 505], 105),
    plan('grid-2d', 2000, [10, 20, 50, 100, 200], 50),
    plan('anisotropic-10d', 2000, [10, 20, 50, 100, 200], 50),
    plan('gaussian-100d', 1000, [10, 20, 50, 100, 200], 50),
  ],
  seeds: [0],
  ...SEEDS,
  floorReplicates: 4,
  tuning: 'quick',
  maxPairwise: 1000,
});

/** `pnpm bench --full`: the paper's whole NFE grid, 10 … 1000 on ours, three seeds, full tuning. */
export const FULL: Suite = Object.freeze({
  name: 'full',
  description: "every sampler, the paper's NFE grid 25…505 and 10…1000 on ours, three seeds, full tuning",
  samplers: SAMPLER_NAMES,
  targets: [
    plan('paper-mixture', 4000, PAPER_NFES, 105),
    plan('grid-2d', 4000, OUR_NFES, 100),
    plan('anisotropic-10d', 4000, OUR_NFES, 100),
    plan('gaussian-100d', 2000, OUR_NFES, 100),
  ],
  seeds: [0, 1, 2],
  ...SEEDS,
  floorReplicates: 8,
  tuning: 'full',
  maxPairwise: 2000,
});

/** A few seconds: for tests of the whole pipeline. */
export const TINY: Suite = Object.freeze({
  name: 'tiny',
  description: 'test size: four samplers, two small targets',
  samplers: ['ddpm', 'dpmpp-2m', 'rtk-mala', 'rtk-uld'],
  targets: [plan('paper-mixture', 200, [25, 45], 25), plan('grid-2d', 200, [10, 30], 30)],
  seeds: [0],
  ...SEEDS,
  floorReplicates: 2,
  tuning: 'quick',
  maxPairwise: 200,
});

/** The suites by name. */
export const SUITES: Readonly<Record<string, Suite>> = Object.freeze({
  quick: QUICK,
  full: FULL,
  tiny: TINY,
});

/** The seed of the reference the tuning runs are scored against (see {@link Suite.tuningReferenceSeed}). */
export function tuningReferenceSeed(suite: Suite): number {
  return suite.tuningReferenceSeed ?? suite.referenceSeed + 1;
}

/** A suite restricted to some targets and samplers (names checked by the caller). */
export function restrictSuite(
  suite: Suite,
  filter: { readonly targets?: readonly string[]; readonly samplers?: readonly string[] },
): Suite {
  return {
    ...suite,
    targets:
      filter.targets === undefined
        ? suite.targets
        : suite.targets.filter((t) => filter.targets!.includes(t.target)),
    samplers:
      filter.samplers === undefined
        ? suite.samplers
        : suite.samplers.filter((s) => filter.samplers!.includes(s)),
  };
}
