/**
 * Saving and loading networks through any TensorFlow.js `tf.io.IOHandler` (browser-safe: `tf.io.browserHTTPRequest`,
 * `tf.io.fromMemory`, IndexedDB, …; files on disk are `@rtk-diffusion/scores/node`). The model itself is the stock
 * TensorFlow.js layers format (model.json + weights); the metadata object travels beside it.
 */
import { TFJS_VERSION, type tf, ValidationError } from '@rtk-diffusion/tensor';
import { z } from 'zod';
import { parseWith } from '../spec.js';
import type { ClassifierArchitecture, ImageClassifier } from './classifier.js';
import { wrapClassifier } from './classifier.js';
import { tfl } from './layers.js';
import type { ScoreNetworkMetadata } from './metadata.js';
import { parseScoreNetworkMetadata, scoreNetworkMetadata } from './metadata.js';
import type { ScoreNetwork } from './network.js';
import { wrapScoreNetwork } from './network.js';

/** Saves the layers model of `network` through `handler` and returns its metadata (to store beside it). */
export async function saveScoreNetworkTo(
  network: ScoreNetwork,
  handler: tf.io.IOHandler,
  training?: Readonly<Record<string, unknown>>,
): Promise<ScoreNetworkMetadata> {
  await network.model.save(handler);
  return scoreNetworkMetadata(network.config, training, network.objective);
}

/**
 * Loads a score network from a model handler and its metadata (JSON, validated).
 *
 * @throws {@link ValidationError} when the metadata is malformed or does not fit the model.
 */
export async function loadScoreNetworkFrom(
  handler: tf.io.IOHandler,
  metadata: unknown,
): Promise<ScoreNetwork> {
  const parsed = parseScoreNetworkMetadata(metadata);
  const model = await tfl.loadLayersModel(handler);
  try {
    const { architecture, predictionType, levels, scaling, objective } = parsed;
    return wrapScoreNetwork(model, { architecture, predictionType, levels, scaling }, objective);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The `format` string of classifier metadata. */
export const CLASSIFIER_FORMAT = 'rtk-diffusion/classifier';

/** The metadata file of a saved classifier (`rtk-classifier.json`). */
export interface ClassifierMetadata {
  readonly format: typeof CLASSIFIER_FORMAT;
  readonly version: 1;
  readonly architecture: ClassifierArchitecture;
  readonly scaling: { readonly shift: number; readonly scale: number };
  readonly tfjsVersion: string;
  /** SHA-256 (hex) of each file saved beside the metadata, checked on load (node files; absent in older ones). */
  readonly files?: Readonly<Record<string, string>>;
  readonly training?: Readonly<Record<string, unknown>>;
}

const positiveInt = z.number().int().positive();
const classifierMetadataSchema = z.strictObject({
  format: z.literal(CLASSIFIER_FORMAT),
  version: z.literal(1),
  architecture: z.strictObject({
    kind: z.literal('cnn'),
    height: positiveInt,
    width: positiveInt,
    classes: z.number().int().min(2),
    channels: positiveInt,
    featureSize: positiveInt,
  }),
  scaling: z.strictObject({ shift: z.number(), scale: z.number().positive() }),
  tfjsVersion: z.string(),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  training: z.record(z.string(), z.unknown()).optional(),
});

/** Saves a classifier's model through `handler` and returns its metadata. */
export async function saveClassifierTo(
  classifier: ImageClassifier,
  handler: tf.io.IOHandler,
  training?: Readonly<Record<string, unknown>>,
): Promise<ClassifierMetadata> {
  await classifier.model.save(handler);
  return {
    format: CLASSIFIER_FORMAT,
    version: 1,
    architecture: classifier.architecture,
    scaling: { ...classifier.scaling },
    tfjsVersion: TFJS_VERSION,
    ...(training === undefined ? {} : { training }),
  };
}

/**
 * Loads a classifier from a model handler and its metadata.
 *
 * @throws {@link ValidationError} when the metadata is malformed or does not fit the model.
 */
export async function loadClassifierFrom(
  handler: tf.io.IOHandler,
  metadata: unknown,
): Promise<ImageClassifier> {
  const parsed = parseWith(classifierMetadataSchema, metadata, 'classifier metadata') as ClassifierMetadata;
  const model = await tfl.loadLayersModel(handler);
  const inputs = model.inputs[0]?.shape[1];
  const { height, width } = parsed.architecture;
  if (inputs !== height * width) {
    model.dispose();
    throw new ValidationError(
      `loadClassifier: the model takes ${inputs} inputs, the metadata says ${height} × ${width}`,
    );
  }
  return wrapClassifier(model, parsed.architecture, parsed.scaling);
}
