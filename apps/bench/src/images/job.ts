/**
 * The unit of work of the image suite: one sampler run on the cached U-Net score, scored by the Fréchet distance of
 * classifier features against held-out digits (our FID; not Inception FID, see packages/scores/NEURAL.md). Jobs are
 * plain JSON and seed themselves, so they run the same in a worker thread or inline; each thread loads the networks
 * and the reference features once.
 */
import { join } from 'node:path';
import { drawSamples, type RunSettings, tensorFromMatrix } from '@rtk-diffusion/cli';
import { frechetDistanceGaussian, type GaussianFit, gaussianFit } from '@rtk-diffusion/eval';
import type { ScoreModel } from '@rtk-diffusion/scores';
import type { ImageClassifier, ScoreNetwork } from '@rtk-diffusion/scores/neural';
import { loadClassifier, loadScoreNetwork } from '@rtk-diffusion/scores/node';
import { isRtkError, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { withSmoothingBound } from './common.js';
import { mnistSplit } from './models.js';

/** Where a job finds its networks and reference. */
export interface ImageContextSpec {
  /** The model directory and the score network's and classifier's subdirectories. */
  readonly models: string;
  readonly scoreDir: string;
  readonly classifierDir: string;
  /** Held-out digits in the FID reference. */
  readonly referenceN: number;
}

/** One sampler run. */
export interface ImageJob {
  readonly kind: 'image';
  readonly id: number;
  /** Estimated cost (NFE × n) for ordering and progress. */
  readonly cost: number;
  readonly context: ImageContextSpec;
  readonly sampler: string;
  readonly nfe: number;
  readonly n: number;
  readonly seed: number;
  readonly settings: RunSettings;
  /** Images to hand back (the first rows, pixels 0…255), for the grids. */
  readonly keep: number;
}

/** What a job returns. */
export interface ImageJobResult {
  readonly id: number;
  readonly nfeUsed?: number;
  readonly seconds?: number;
  readonly fid?: number;
  readonly summary?: Readonly<Record<string, number | string>>;
  readonly error?: { readonly code: string; readonly message: string };
  /** `keep` images, row-major 784 bytes each. */
  readonly images?: readonly number[];
}

/** The networks and the reference of one thread. */
export interface ImageContext {
  readonly network: ScoreNetwork;
  readonly model: ScoreModel;
  readonly classifier: ImageClassifier;
  readonly reference: GaussianFit;
}

const contexts = new Map<string, Promise<ImageContext>>();

/** FID features of images in data space (pixels in [0, 1]) → their Gaussian fit. */
export async function featureFit(classifier: ImageClassifier, images: Tensor2D): Promise<GaussianFit> {
  const features = classifier.features(images);
  try {
    return await gaussianFit(features);
  } finally {
    features.dispose();
  }
}

/** Loads (once per thread) the networks and the Gaussian fit of the held-out digits' features. */
export function imageContext(spec: ImageContextSpec): Promise<ImageContext> {
  const key = JSON.stringify(spec);
  let entry = contexts.get(key);
  if (entry === undefined) {
    entry = (async () => {
      const network = await loadScoreNetwork(join(spec.models, spec.scoreDir));
      const classifier = await loadClassifier(join(spec.models, spec.classifierDir));
      const { heldOut } = await mnistSplit();
      const n = Math.min(spec.referenceN, heldOut.n);
      const real = tf.tensor2d(heldOut.values.subarray(0, n * heldOut.dim), [n, heldOut.dim]);
      try {
        return {
          network,
          model: withSmoothingBound(network),
          classifier,
          reference: await featureFit(classifier, real),
        };
      } finally {
        real.dispose();
      }
    })();
    contexts.set(key, entry);
  }
  return entry;
}

/** Frees the networks loaded by this thread (tests). */
export async function disposeImageContexts(): Promise<void> {
  for (const entry of contexts.values()) {
    const context = await entry;
    context.network.dispose();
    context.classifier.dispose();
  }
  contexts.clear();
}

/** Model-space samples → images in [0, 1] (clipped: the classifier only knows valid pixels). */
export function toImages(network: ScoreNetwork, x: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.clipByValue(network.toData(x), 0, 1) as Tensor2D);
}

/** Runs one job in this thread. Budget and divergence failures are part of the result; anything else throws. */
export async function runImageJob(job: ImageJob): Promise<ImageJobResult> {
  const context = await imageContext(job.context);
  try {
    const drawn = await drawSamples({
      model: context.model,
      sampler: job.sampler,
      nfe: job.nfe,
      n: job.n,
      seed: job.seed,
      ...(job.settings.grid === undefined ? {} : { grid: job.settings.grid }),
      ...(job.settings.samplerOptions === undefined ? {} : { samplerOptions: job.settings.samplerOptions }),
    });
    const x = tensorFromMatrix(drawn.samples);
    const images = toImages(context.network, x);
    x.dispose();
    try {
      const fit = await featureFit(context.classifier, images);
      let kept: number[] | undefined;
      if (job.keep > 0) {
        const pixels = tf.tidy(() =>
          tf.round(tf.mul(tf.slice(images, [0, 0], [Math.min(job.keep, job.n), -1]), 255)),
        );
        kept = Array.from(pixels.dataSync());
        pixels.dispose();
      }
      return {
        id: job.id,
        nfeUsed: drawn.nfe,
        seconds: Number(drawn.seconds.toFixed(3)),
        fid: Number(frechetDistanceGaussian(fit, context.reference).toPrecision(6)),
        summary: drawn.trace.summary,
        ...(kept === undefined ? {} : { images: kept }),
      };
    } finally {
      images.dispose();
    }
  } catch (error) {
    if (isRtkError(error) && ['E_BUDGET', 'E_NUMERIC'].includes(error.code)) {
      return { id: job.id, error: { code: error.code, message: error.message } };
    }
    throw error;
  }
}
