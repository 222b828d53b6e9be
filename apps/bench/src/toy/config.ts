/**
 * The toy suite's sizes: MLP score networks trained on samples of the quick suite's 2-D 5×5 grid mixture (exact score
 * known, so the trained network runs beside the exact score with the same metrics) and on two moons (a picture).
 */

import { SAMPLER_NAMES } from '@rtk-diffusion/samplers';
import { mlpArchitecture } from '@rtk-diffusion/scores/neural';
import type { ScoreRecipe } from '../images/models.js';

/** Sizes of one toy run. */
export interface ToySuiteConfig {
  readonly name: string;
  readonly samplers: readonly string[];
  /** Samples per reported run (and of the ground-truth reference). */
  readonly n: number;
  readonly tuningN: number;
  readonly nfes: readonly number[];
  readonly showcaseNfe: number;
  /** Training rows drawn from the exact grid mixture (seed `dataSeed`). */
  readonly trainingRows: number;
  readonly dataSeed: number;
  readonly grid: ScoreRecipe;
  readonly moons: ScoreRecipe;
  /** Points per panel of the two-moons picture, and its NFE. */
  readonly moonsN: number;
  readonly moonsNfe: number;
  readonly gridDir: string;
  readonly moonsDir: string;
  readonly floorReplicates: number;
  readonly maxPairwise: number;
}

/** `pnpm bench --suite toy`. */
export const TOY: ToySuiteConfig = Object.freeze({
  name: 'toy',
  samplers: SAMPLER_NAMES,
  n: 2000,
  tuningN: 1000,
  nfes: [10, 20, 50, 100, 200],
  showcaseNfe: 50,
  trainingRows: 20_000,
  dataSeed: 4000,
  grid: {
    architecture: mlpArchitecture(2, { hidden: 128, depth: 3 }),
    steps: 10_000,
    batchSize: 256,
    // 1e-2 (best on two moons) gave a network that extrapolates wildly off the grid: DDPM at NFE 10 threw samples to
    // |x| ~ 1e7 (results/2026-12-06T20-45-toy in git history); at 3e-3 the largest |x| at NFE 10 is 7.
    learningRate: 3e-3,
    warmupSteps: 100,
    seed: 11,
    data: 'grid-2d ground truth, 20000 rows, seed 4000, identity scaling',
  },
  moons: {
    architecture: mlpArchitecture(2, { hidden: 64, depth: 3 }),
    steps: 6000,
    batchSize: 256,
    learningRate: 1e-2,
    warmupSteps: 100,
    seed: 12,
    data: 'two moons, 10000 rows, seed 4001',
  },
  moonsN: 1000,
  moonsNfe: 20,
  gridDir: 'grid-2d-mlp',
  moonsDir: 'two-moons-mlp',
  floorReplicates: 4,
  maxPairwise: 1000,
});

/** A few seconds: for the end-to-end test. */
export const TOY_TINY: ToySuiteConfig = Object.freeze({
  ...TOY,
  name: 'toy-tiny',
  samplers: ['ddpm', 'rtk-uld'],
  n: 200,
  tuningN: 100,
  nfes: [20],
  showcaseNfe: 20,
  trainingRows: 1000,
  grid: {
    ...TOY.grid,
    architecture: mlpArchitecture(2, { hidden: 16, depth: 1, embeddingSize: 8 }),
    steps: 5,
  },
  moons: {
    ...TOY.moons,
    architecture: mlpArchitecture(2, { hidden: 16, depth: 1, embeddingSize: 8 }),
    steps: 5,
  },
  moonsN: 50,
  moonsNfe: 10,
  gridDir: 'tiny-grid-mlp',
  moonsDir: 'tiny-moons-mlp',
  floorReplicates: 2,
  maxPairwise: 200,
});
