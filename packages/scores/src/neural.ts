/**
 * `@rtk-diffusion/scores/neural`: trained score networks as score models (browser-safe). A time-conditioned MLP and a
 * small U-Net (TensorFlow.js layers) with ε / x0 / v heads, denoising score matching with Adam, EMA and resumable
 * checkpoints, a seeded data loader, 2-D toy data, an IDX parser, and a small image classifier whose features give an
 * FID-style distance. A subpath of its own so that importing the exact scores of `@rtk-diffusion/scores` does not load
 * `@tensorflow/tfjs-layers`. Files on disk: `@rtk-diffusion/scores/node`.
 *
 * @packageDocumentation
 */

export type { MlpArchitecture, NetworkArchitecture, UnetArchitecture } from './neural/architecture.js';
export {
  architectureDim,
  buildNetworkModel,
  MLP_DEFAULTS,
  mlpArchitecture,
  UNET_DEFAULTS,
  unetArchitecture,
} from './neural/architecture.js';
export type {
  CheckpointHeader,
  LossWeighting,
  TrainingCheckpoint,
  TrainingSettings,
} from './neural/checkpoint.js';
export { CHECKPOINT_FORMAT, checkResume, decodeCheckpoint, encodeCheckpoint } from './neural/checkpoint.js';
export type { ClassifierArchitecture, ImageClassifier, TrainClassifierOptions } from './neural/classifier.js';
export {
  buildClassifierModel,
  CLASSIFIER_DEFAULTS,
  trainClassifier,
  wrapClassifier,
} from './neural/classifier.js';
export type { DataScaling, DataSet, DataSetExtras } from './neural/data.js';
export {
  dataFingerprint,
  dataRows,
  dataSet,
  IDENTITY_SCALING,
  PIXEL_SCALING,
  standardScaling,
} from './neural/data.js';
export type { LevelRange } from './neural/embedding.js';
export { DEFAULT_LEVEL_RANGE, EMBEDDING_FREQUENCY_RATIO, levelEmbedding } from './neural/embedding.js';
export { denoisingLoss } from './neural/evaluate.js';
export type { IdxArray, IdxType } from './neural/idx.js';
export { encodeIdx, idxImages, parseIdx } from './neural/idx.js';
export type { BatchSampler } from './neural/loader.js';
export { createBatchSampler } from './neural/loader.js';
export type {
  NetworkPredictionType,
  ScoreNetworkConfig,
  ScoreNetworkMetadata,
  TrainingObjective,
} from './neural/metadata.js';
export {
  LEVEL_SAMPLING,
  NETWORK_PREDICTION_TYPES,
  parseScoreNetworkConfig,
  parseScoreNetworkMetadata,
  SCORE_NETWORK_FORMAT,
  scoreNetworkMetadata,
  scoreNetworkMetadataSchema,
} from './neural/metadata.js';
export type { ClassifierMetadata } from './neural/model-io.js';
export {
  CLASSIFIER_FORMAT,
  loadClassifierFrom,
  loadScoreNetworkFrom,
  saveClassifierTo,
  saveScoreNetworkTo,
} from './neural/model-io.js';
export type { ScoreNetwork } from './neural/network.js';
export { createScoreNetwork, withWeights, wrapScoreNetwork } from './neural/network.js';
export { levelWeight, MIN_SNR_GAMMA } from './neural/objective.js';
export type { AdamState, LearningRateSchedule } from './neural/optimizer.js';
export { LR_FLOOR, learningRateFactor } from './neural/optimizer.js';
export { modelSpaceTeacher } from './neural/teacher.js';
export type { ToyDataName, ToyNoiseOptions } from './neural/toy-data.js';
export {
  checkerboard,
  SWISS_ROLL_NOISE,
  swissRoll,
  TOY_DATA_NAMES,
  TWO_MOONS_NOISE,
  toyData,
  twoMoons,
} from './neural/toy-data.js';
export type { TrainProgress, TrainResult, TrainScoreNetworkOptions } from './neural/train.js';
export { TRAIN_DEFAULTS, trainScoreNetwork } from './neural/train.js';
export { installWasmTrainingKernels, withWasmTrainingKernels } from './neural/wasm-kernels.js';
