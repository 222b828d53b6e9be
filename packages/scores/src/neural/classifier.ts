/**
 * A small image classifier whose penultimate-layer features stand in for Inception features in an FID-style Fréchet
 * distance on MNIST-like data (`frechetDistance` of `@rtk-diffusion/eval` on `features(real)` and
 * `features(generated)`; this package does not depend on eval). Architecture: 3 × 3 convolution (C, ReLU), 2 × 2
 * average pooling, 3 × 3 convolution (2C, ReLU), pooling, dense (F, ReLU: the features), dense (classes: logits).
 * Trained with softmax cross-entropy, Adam, the seeded loader; seeded initial weights (see `init.ts`; the logits layer
 * starts at zero, so an untrained classifier gives every class the same probability).
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { assertBatch, tf, ValidationError } from '@rtk-diffusion/tensor';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { DataScaling, DataSet } from './data.js';
import { PIXEL_SCALING } from './data.js';
import { initialWeightValues, setWeightValues } from './init.js';
import { tfl } from './layers.js';
import { createBatchSampler } from './loader.js';
import { createAdam } from './optimizer.js';
import { createYielder, integerAtLeast, throwIfAborted } from './run-control.js';
import { withWasmTrainingKernels } from './wasm-kernels.js';

/** The classifier's shape. */
export interface ClassifierArchitecture {
  readonly kind: 'cnn';
  readonly height: number;
  readonly width: number;
  readonly classes: number;
  /** Channels C of the first convolution (2C in the second). */
  readonly channels: number;
  /** Size F of the feature layer. */
  readonly featureSize: number;
}

/** A trained classifier. */
export interface ImageClassifier {
  readonly architecture: ClassifierArchitecture;
  /** Data space → the classifier's input space (pixels in [0, 1] → [−1, 1] by default). */
  readonly scaling: DataScaling;
  readonly model: tfl.LayersModel;
  /** Class probabilities [n, classes] of images x [n, height · width] in data space. */
  probabilities(x: tf.Tensor2D): tf.Tensor2D;
  /** Penultimate-layer features [n, featureSize] of images in data space (the FID features). */
  features(x: tf.Tensor2D): tf.Tensor2D;
  /** Fraction of rows of a labelled data set classified correctly. */
  accuracy(data: DataSet): number;
  dispose(): void;
}

/** Defaults: 28 × 28, 10 classes, C = 16, F = 64. */
export const CLASSIFIER_DEFAULTS: Readonly<Omit<ClassifierArchitecture, 'kind'>> = Object.freeze({
  height: 28,
  width: 28,
  classes: 10,
  channels: 16,
  featureSize: 64,
});

/** The name of the feature layer. */
const FEATURES = 'classifier_features';
/** Rows per backend call when classifying a data set. */
const CHUNK = 1000;

/** Builds the (all-zero) classifier model. */
export function buildClassifierModel(a: ClassifierArchitecture): tfl.LayersModel {
  for (const key of ['height', 'width', 'classes', 'channels', 'featureSize'] as const) {
    integerAtLeast(a[key], key === 'classes' ? 2 : 1, key, 'classifier architecture');
  }
  if (a.height % 4 !== 0 || a.width % 4 !== 0) {
    throw new ValidationError(
      `classifier architecture: height and width must be multiples of 4, got ${a.height} × ${a.width}`,
    );
  }
  const zeros = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const x = tfl.input({ shape: [a.height * a.width], name: 'x' });
  let h = tfl.layers
    .reshape({ targetShape: [a.height, a.width, 1], name: 'classifier_image' })
    .apply(x) as SymbolicTensor;
  for (const [i, filters] of [a.channels, 2 * a.channels].entries()) {
    h = tfl.layers
      .conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: `classifier_conv_${i}`,
        ...zeros,
      })
      .apply(h) as SymbolicTensor;
    h = tfl.layers.averagePooling2d({ poolSize: 2, name: `classifier_pool_${i}` }).apply(h) as SymbolicTensor;
  }
  h = tfl.layers.flatten({ name: 'classifier_flat' }).apply(h) as SymbolicTensor;
  h = tfl.layers
    .dense({ units: a.featureSize, activation: 'relu', name: FEATURES, ...zeros })
    .apply(h) as SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: a.classes, name: 'classifier_out', ...zeros })
    .apply(h) as SymbolicTensor;
  return tfl.model({ inputs: x, outputs: logits, name: 'classifier' });
}

/** Wraps a classifier model (built or loaded) with its architecture and scaling. */
export function wrapClassifier(
  model: tfl.LayersModel,
  architecture: ClassifierArchitecture,
  scaling: DataScaling = PIXEL_SCALING,
): ImageClassifier {
  const dim = architecture.height * architecture.width;
  const featureModel = tfl.model({ inputs: model.inputs, outputs: model.getLayer(FEATURES).output });
  const input = (x: tf.Tensor2D) => tf.mul(tf.sub(x, scaling.shift), scaling.scale);
  const run = (target: tfl.LayersModel, x: tf.Tensor2D) => {
    assertBatch(x, dim, 'x');
    return tf.tidy(() => target.apply(input(x)) as tf.Tensor2D);
  };
  return {
    architecture,
    scaling,
    model,
    probabilities: (x) => tf.tidy(() => tf.softmax(run(model, x))),
    features: (x) => run(featureModel, x),
    accuracy(data) {
      if (data.labels === undefined) throw new ValidationError('accuracy: the data set has no labels');
      let correct = 0;
      for (let start = 0; start < data.n; start += CHUNK) {
        const count = Math.min(CHUNK, data.n - start);
        const predicted = tf.tidy(() => {
          const rows = tf.tensor2d(data.values.subarray(start * dim, (start + count) * dim), [count, dim]);
          return tf.argMax(run(model, rows), 1).dataSync();
        });
        for (let i = 0; i < count; i++) if (predicted[i] === data.labels[start + i]) correct += 1;
      }
      return correct / data.n;
    },
    dispose: () => model.dispose(),
  };
}

/** Options of {@link trainClassifier}. */
export interface TrainClassifierOptions {
  /** Labelled images in data space (imageShape and labels required). */
  readonly data: DataSet;
  readonly steps: number;
  readonly rng: Rng;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly architecture?: Partial<Omit<ClassifierArchitecture, 'kind'>>;
  /** Default: the data's scaling, else {@link PIXEL_SCALING}. */
  readonly scaling?: DataScaling;
  readonly onProgress?: (progress: { step: number; steps: number; loss: number }) => void;
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
}

/**
 * Trains the classifier: softmax cross-entropy, Adam (learning rate 1e−3, no clipping), batches of 128 by default.
 *
 * @throws {@link ValidationError} when the data has no labels or image shape; `E_ABORTED` when `signal` aborts.
 */
export async function trainClassifier(
  options: TrainClassifierOptions,
): Promise<{ classifier: ImageClassifier; losses: Float32Array }> {
  const { data, rng, signal } = options;
  if (data.labels === undefined || data.imageShape === undefined) {
    throw new ValidationError('trainClassifier: the data set needs labels and an image shape');
  }
  const [height, width] = data.imageShape;
  const classes = Math.max(...data.labels) + 1;
  const architecture: ClassifierArchitecture = {
    kind: 'cnn',
    ...CLASSIFIER_DEFAULTS,
    classes,
    ...options.architecture,
    height,
    width,
  };
  const steps = integerAtLeast(options.steps, 0, 'steps', 'trainClassifier');
  const batchSize = integerAtLeast(
    options.batchSize ?? Math.min(128, data.n),
    1,
    'batchSize',
    'trainClassifier',
  );
  const every = integerAtLeast(options.progressEvery ?? 10, 1, 'progressEvery', 'trainClassifier');
  const model = buildClassifierModel(architecture);
  setWeightValues(model, initialWeightValues(model, rng.fork('init')));
  const classifier = wrapClassifier(model, architecture, options.scaling ?? data.scaling ?? PIXEL_SCALING);
  const variables = model.weights.map((w) => w.read() as tf.Variable);
  const adam = createAdam(variables, { learningRate: options.learningRate ?? 1e-3, clipNorm: 0 });
  const sampler = createBatchSampler(data.n, batchSize, rng.fork('data'));
  const { shift, scale } = classifier.scaling;
  const rows = tf.tidy(() => tf.mul(tf.sub(tf.tensor2d(data.values, [data.n, data.dim]), shift), scale));
  const labels = tf.tensor1d(Int32Array.from(data.labels), 'int32');
  const losses = new Float32Array(steps);
  const pause = createYielder();
  try {
    for (let step = 0; step < steps; step++) {
      await pause();
      throwIfAborted(signal, 'trainClassifier', step);
      const indices = sampler.indices(step);
      losses[step] = withWasmTrainingKernels(() =>
        tf.tidy(() => {
          const index = tf.tensor1d(indices, 'int32');
          const x = tf.gather(rows, index);
          const onehot = tf.oneHot(tf.gather(labels, index), classes);
          const { value, grads } = tf.variableGrads(
            () => tf.losses.softmaxCrossEntropy(onehot, model.apply(x) as tf.Tensor2D) as tf.Scalar,
            variables,
          );
          adam.apply(variables.map((v) => grads[v.name]!));
          return value.dataSync()[0]!;
        }),
      );
      if ((step + 1) % every === 0 || step + 1 === steps) {
        const from = Math.max(0, step + 1 - every);
        const recent = losses.subarray(from, step + 1);
        options.onProgress?.({
          step: step + 1,
          steps,
          loss: recent.reduce((s, v) => s + v, 0) / recent.length,
        });
      }
    }
    return { classifier, losses };
  } catch (error) {
    classifier.dispose();
    throw error;
  } finally {
    rows.dispose();
    labels.dispose();
    adam.dispose();
  }
}
