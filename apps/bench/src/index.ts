/**
 * `@rtk-diffusion/bench` (private): the workspace benchmarks. `pnpm bench` runs the quick suite; these exports let
 * tests and the docs app read and render results.
 *
 * @packageDocumentation
 */

export type { Cell, Verdict } from './aggregate.js';
export { cellOf, formatDuration, runsOf, verdicts } from './aggregate.js';
export type { AssembleInput, Outcome } from './assemble.js';
export { assemble, winner } from './assemble.js';
export type { Candidate } from './candidates.js';
export {
  DEFAULT_STEP_SIZE_FACTORS,
  defaultCandidate,
  firstStageCandidates,
  fitsBudget,
  PAPER_DDPM_GRID,
  RTK_SAMPLERS,
  secondStageCandidates,
  segmentCounts,
  settingsKey,
  stepSizeMultipliers,
  thirdStageCandidates,
} from './candidates.js';
export type { Change, Comparison } from './compare.js';
export { compareResults, comparisonText } from './compare.js';
export type { Capture, CaptureSpec, FloorJob, Job, JobResult, ReferenceSpec, RunJob } from './jobs.js';
export { capture, runJob } from './jobs.js';
export { PANEL_LABELS, PANEL_SAMPLERS, runLabel, TRUTH } from './labels.js';
export type { BenchIo, RunBenchOptions } from './main.js';
export { defaultResultsDirectory, main, runBench, writeReport } from './main.js';
export type { PaperNumber } from './paper.js';
export { PAPER_NUMBERS, paperNumber } from './paper.js';
export { accuracySpec, histogramSpec, renderSpec, scatterSpec, writePlots } from './plots.js';
export type { Pool, PoolOptions } from './pool.js';
export { createPool, defaultWorkers } from './pool.js';
export type * from './results.js';
export {
  RESULTS_SCHEMA,
  readResults,
  readShowcase,
  resultsPath,
  resultsSchema,
  showcaseSchema,
} from './results.js';
export type { RunSuiteOptions } from './run-suite.js';
export { runSuite } from './run-suite.js';
export type { BackendPeak, KernelProfile, KernelRecord, Roofline } from './speed/floor.js';
export { kernelFlops, measurePeak, roofline, scoreBytes, scoreFlops } from './speed/floor.js';
export type { MomentCheck, PeerOutput } from './speed/peer.js';
export { compareMoments, PEER_SAMPLERS, peerAvailability, runPeer } from './speed/peer.js';
export { speedSummaryMarkdown, speedSummaryText } from './speed/report.js';
export type { SpeedOptions } from './speed/run-speed.js';
export { runSpeed, writeSpeedReport } from './speed/run-speed.js';
export type { SpeedMixture, SpeedSize } from './speed/sizes.js';
export { parseSizes, SPEED_SIZES, speedMixture, TINY_SPEED_SIZES } from './speed/sizes.js';
export type { SpeedComparison, SpeedResults } from './speed/speed-results.js';
export { readSpeedResults, SPEED_SCHEMA, speedResultsSchema } from './speed/speed-results.js';
export type { Suite, TargetPlan } from './suites.js';
export {
  FULL,
  OUR_NFES,
  PAPER_NFES,
  QUICK,
  restrictSuite,
  SUITES,
  TINY,
  tuningReferenceSeed,
} from './suites.js';
export { summaryMarkdown, summaryText, verdictLines } from './summary.js';
