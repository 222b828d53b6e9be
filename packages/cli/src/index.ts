/**
 * `@rtk-diffusion/cli`: the `rtk` command (bin `rtk`), and the library functions it is built from, which the
 * benchmarks app reuses: the catalogue of built-in targets, target resolution, drawing and scoring samples, sweeps,
 * sample files (.npy, .csv, .json), atomic writes, progress, tables and exit codes.
 *
 * @packageDocumentation
 */

export type { AtomicFile } from './atomic-write.js';
export { assertWritable, openAtomicFile, temporaryPathFor, writeFileAtomic } from './atomic-write.js';
export type { SamplerListing, TargetListing } from './commands/list.js';
export { listSamplers, listTargets } from './commands/list.js';
export type { MergePart, MergePlan } from './commands/merge.js';
export { planMerge } from './commands/merge.js';
export type { CliIo } from './context.js';
export type { DrawOptions, DrawResult } from './draw.js';
export { DEFAULT_BATCH_SIZE, drawSamples, groundTruth } from './draw.js';
export type { ChunkedDrawOptions, ChunkedDrawResult } from './draw-chunks.js';
export { drawChunks } from './draw-chunks.js';
export type { ExitCode } from './errors.js';
export {
  EXIT_CODES,
  errorJson,
  exitCodeFor,
  FileError,
  formatError,
  InvalidFileError,
  UsageError,
  unknownNameError,
} from './errors.js';
export type { MetricName, MetricValues, PreparedReference } from './evaluate.js';
export {
  DEFAULT_MAX_PAIRWISE,
  evaluateSamples,
  METRIC_NAMES,
  METRICS,
  metricName,
  prepareReference,
} from './evaluate.js';
export type { NpyDtype } from './npy.js';
export { decodeNpy, encodeNpy, encodeNpyData, encodeNpyHeader, npyDtypeOf } from './npy.js';
export { main, VERSION } from './program.js';
export type { Progress, ProgressOptions } from './progress.js';
export { createProgress, NO_PROGRESS } from './progress.js';
export type { NetworkTarget, ResolvedTarget, SampleTarget } from './resolve-target.js';
export {
  isNetworkTarget,
  loadNetworkTarget,
  looksLikePath,
  parseTargetSpec,
  resolveSampleTarget,
  resolveTarget,
  targetFromSpec,
} from './resolve-target.js';
export type { RunMeta } from './run-meta.js';
export { metaPathFor, RUN_SETTINGS, readRunMeta, writeRunMeta } from './run-meta.js';
export type { SampleFileStream, SampleFormat } from './sample-files.js';
export {
  assertStreamable,
  csvHeader,
  decodeCsv,
  decodeJson,
  encodeCsv,
  encodeCsvRows,
  encodeJson,
  openSampleFileStream,
  readSampleFile,
  SAMPLE_FORMATS,
  sampleFormatOf,
  writeSampleFile,
} from './sample-files.js';
export type { SampleMatrix } from './sample-matrix.js';
export {
  concatMatrices,
  matrixColumn,
  matrixFromTensor,
  matrixRows,
  matrixSlice,
  tensorFromMatrix,
} from './sample-matrix.js';
export { assertSamplerOptions, SAMPLER_OPTION_NAMES } from './sampler-options.js';
export type { RunSettings, SweepCell, SweepOptions, SweepResult } from './sweep.js';
export { runCell, runSweep } from './sweep.js';
export type { MetricRow } from './table.js';
export { bestRows, formatMarkdownTable, formatMetric, formatMetricTable, formatTextTable } from './table.js';
export type { TargetEntry } from './targets.js';
export {
  anisotropicMixtureSpec,
  correlatedGaussianSpec,
  getTarget,
  gridMixtureSpec,
  PAPER_MIXTURE,
  paperMixtureSpec,
  TARGET_NAMES,
  TARGETS,
} from './targets.js';
export type {
  JobContext,
  PoolMessage,
  PoolRunOptions,
  WorkerPool,
  WorkerPoolOptions,
} from './worker-pool.js';
export { builtExecArgv, createWorkerPool, serveJobs } from './worker-pool.js';
