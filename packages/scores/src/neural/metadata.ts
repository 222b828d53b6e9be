/**
 * What a saved score network is, beside its weights: the JSON metadata (zod-validated on load) with the prediction
 * type, the trained level range and embedding, the data scaling and the architecture, so a loaded network needs no
 * other input to be a `ScoreModel`.
 */
import { TFJS_VERSION } from '@rtk-diffusion/tensor';
import { z } from 'zod';
import { parseWith } from '../spec.js';
import type { PredictionType } from '../types.js';
import type { NetworkArchitecture } from './architecture.js';
import { checkArchitecture } from './architecture.js';
import type { LossWeighting } from './checkpoint.js';
import type { DataScaling } from './data.js';
import { EMBEDDING_FREQUENCY_RATIO, type LevelRange } from './embedding.js';

/** The prediction types a network can be trained for (ALGORITHMS.md §1). */
export type NetworkPredictionType = Exclude<PredictionType, 'score'>;

/** The prediction types a network can be trained for, in a stable order. */
export const NETWORK_PREDICTION_TYPES: readonly NetworkPredictionType[] = Object.freeze([
  'epsilon',
  'x0',
  'v',
]);

/** Everything that defines a score network but its weights. */
export interface ScoreNetworkConfig {
  readonly architecture: NetworkArchitecture;
  readonly predictionType: NetworkPredictionType;
  /** The levels it was trained on; the embedding clamps levels outside. */
  readonly levels: LevelRange;
  /** Data space → model space (the network and its score live in model space). */
  readonly scaling: DataScaling;
}

/** How the training levels were drawn: λ = log(a / (1 − a)) uniform on the trained level range (`objective.ts`). */
export const LEVEL_SAMPLING = 'log-snr-uniform';

/** The training objective of a network: the loss weighting across levels and the level distribution. */
export interface TrainingObjective {
  readonly weighting: LossWeighting;
  readonly levelSampling: typeof LEVEL_SAMPLING;
}

/** The `format` string of score-network metadata. */
export const SCORE_NETWORK_FORMAT = 'rtk-diffusion/score-network';

/** The metadata file of a saved score network (`rtk-network.json`). */
export interface ScoreNetworkMetadata extends ScoreNetworkConfig {
  readonly format: typeof SCORE_NETWORK_FORMAT;
  readonly version: 1;
  /** The level embedding: sinusoidal features of the clamped log-SNR (see `levelEmbedding`). */
  readonly embedding: { readonly kind: 'log-snr-sinusoidal'; readonly frequencyRatio: number };
  /** The `@tensorflow/tfjs-core` version that wrote it. */
  readonly tfjsVersion: string;
  /** SHA-256 (hex) of each file saved beside the metadata, checked on load (node files; absent in older ones). */
  readonly files?: Readonly<Record<string, string>>;
  /** The training objective (absent in files written before it was recorded, and for untrained networks). */
  readonly objective?: TrainingObjective;
  /** Free-form facts about the training run (steps, seed, loss, data set, …). */
  readonly training?: Readonly<Record<string, unknown>>;
}

const positiveInt = z.number().int().positive();
const architectureSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('mlp'),
    dim: positiveInt,
    hidden: positiveInt,
    depth: positiveInt,
    embeddingSize: positiveInt,
  }),
  z.strictObject({
    kind: z.literal('unet'),
    height: positiveInt,
    width: positiveInt,
    channels: positiveInt,
    embeddingSize: positiveInt,
  }),
]);

/** The zod schema of a {@link ScoreNetworkConfig}. */
export const scoreNetworkConfigSchema = z.object({
  architecture: architectureSchema,
  predictionType: z.enum(['epsilon', 'x0', 'v']),
  levels: z
    .strictObject({ aMin: z.number().gt(0).lt(1), aMax: z.number().gt(0).lt(1) })
    .refine((l) => l.aMin < l.aMax, { message: 'aMin must be below aMax' }),
  scaling: z.strictObject({ shift: z.number(), scale: z.number().positive() }),
});

/** The zod schema of {@link ScoreNetworkMetadata}. */
export const scoreNetworkMetadataSchema = scoreNetworkConfigSchema.extend({
  format: z.literal(SCORE_NETWORK_FORMAT),
  version: z.literal(1),
  embedding: z.strictObject({
    kind: z.literal('log-snr-sinusoidal'),
    frequencyRatio: z.literal(EMBEDDING_FREQUENCY_RATIO),
  }),
  tfjsVersion: z.string(),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  objective: z
    .strictObject({ weighting: z.enum(['simple', 'min-snr']), levelSampling: z.literal(LEVEL_SAMPLING) })
    .optional(),
  training: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Parses and checks a {@link ScoreNetworkConfig} (JSON), e.g. the config part of metadata or a checkpoint.
 *
 * @throws {@link ValidationError} naming every bad field.
 */
export function parseScoreNetworkConfig(json: unknown): ScoreNetworkConfig {
  const config = parseWith(scoreNetworkConfigSchema, json, 'score network config') as ScoreNetworkConfig;
  checkArchitecture(config.architecture);
  return config;
}

/**
 * Parses and checks score-network metadata (the JSON file beside model.json).
 *
 * @throws {@link ValidationError} naming every bad field.
 */
export function parseScoreNetworkMetadata(json: unknown): ScoreNetworkMetadata {
  const metadata = parseWith(
    scoreNetworkMetadataSchema,
    json,
    'score network metadata',
  ) as ScoreNetworkMetadata;
  checkArchitecture(metadata.architecture);
  return metadata;
}

/** The metadata of a network with this config (and optional training objective and facts). */
export function scoreNetworkMetadata(
  config: ScoreNetworkConfig,
  training?: Readonly<Record<string, unknown>>,
  objective?: TrainingObjective,
): ScoreNetworkMetadata {
  return {
    format: SCORE_NETWORK_FORMAT,
    version: 1,
    architecture: config.architecture,
    predictionType: config.predictionType,
    levels: { aMin: config.levels.aMin, aMax: config.levels.aMax },
    scaling: { shift: config.scaling.shift, scale: config.scaling.scale },
    embedding: { kind: 'log-snr-sinusoidal', frequencyRatio: EMBEDDING_FREQUENCY_RATIO },
    tfjsVersion: TFJS_VERSION,
    ...(objective === undefined ? {} : { objective: { ...objective } }),
    ...(training === undefined ? {} : { training }),
  };
}
