/**
 * `results/<run-id>/results.json` of the speed suite (schema `rtk-diffusion-bench-speed/1`): its zod schema, its
 * type and a reader. Fields are documented in apps/bench/PERFORMANCE.md.
 */
import { readFile } from 'node:fs/promises';
import { FileError } from '@rtk-diffusion/cli';
import { ValidationError } from '@rtk-diffusion/tensor';
import { z } from 'zod';
import { resultsPath } from '../results.js';

/** The schema version written in the speed suite's `results.json`. */
export const SPEED_SCHEMA = 'rtk-diffusion-bench-speed/1';

const timing = z.object({
  median: z.number(),
  q1: z.number(),
  q3: z.number(),
  min: z.number(),
  max: z.number(),
  values: z.array(z.number()).readonly(),
  cpu: z.object({ median: z.number(), min: z.number(), values: z.array(z.number()).readonly() }).optional(),
});

const size = z.object({
  n: z.number().int().positive(),
  d: z.number().int().positive(),
  k: z.number().int().positive(),
});

const samplerTiming = z.object({
  sampler: z.string(),
  status: z.enum(['ok', 'skipped', 'error']),
  message: z.string().optional(),
  ms: timing.optional(),
  nfe: z.number().optional(),
  samplesPerSecond: z.number().optional(),
  scoreEvaluationsPerSecond: z.number().optional(),
  acceptance: z.number().optional(),
});

const peak = z.object({
  matmulSize: z.number(),
  matmulMs: timing,
  gflops: z.number(),
  addElements: z.number(),
  addMs: timing,
  bandwidthGBs: z.number(),
});

const roofline = z.object({
  flops: z.number(),
  compulsoryBytes: z.number(),
  intensity: z.number(),
  ridge: z.number(),
  bound: z.enum(['compute', 'memory']),
  attainableGflops: z.number(),
  achievedGflops: z.number(),
  fractionOfPeak: z.number(),
  fractionOfAttainable: z.number(),
  floorMs: z.number(),
});

const sizeResult = z.object({
  size: z.string(),
  ...size.shape,
  score: timing,
  logDensity: timing,
  normal: timing,
  /** The score's dominant product [n, d] × [d, K] alone. */
  shapeProduct: timing,
  /** Rows per second of one score evaluation (n / median s). */
  scoreEvaluationsPerSecond: z.number(),
  roofline,
  profile: z.object({
    bytes: z.number(),
    flops: z.number(),
    ms: z.number(),
    kernels: z.array(z.object({ name: z.string(), ms: z.number(), share: z.number() })),
  }),
  samplers: z.array(samplerTiming),
});

const backendResult = z.object({
  backend: z.string(),
  status: z.enum(['ok', 'skipped']),
  message: z.string().optional(),
  simd: z.boolean().optional(),
  threads: z.number().optional(),
  peak: peak.optional(),
  sizes: z.array(sizeResult),
});

const peerSampler = z.object({
  sampler: z.string(),
  ms: timing,
  nfe: z.number(),
  acceptance: z.number().optional(),
});

const peerRun = z.object({
  threads: z.number(),
  gflops: z.number(),
  bandwidthGBs: z.number(),
  sizes: z.array(
    z.object({
      size: z.string(),
      score: timing,
      logDensity: timing,
      normal: timing,
      samplers: z.array(peerSampler),
    }),
  ),
});

const comparison = z.object({
  size: z.string(),
  /** `score` or a sampler name. */
  what: z.string(),
  backend: z.string(),
  oursMs: z.number(),
  /** Peer median ms by thread count ("1", "2"). */
  peerMs: z.record(z.string(), z.number()),
  /** Our time / their time by thread count. */
  ratio: z.record(z.string(), z.number()),
  /** Our CPU time / their CPU time by thread count (with 2 threads theirs sums both threads' CPU time). */
  cpuRatio: z.record(z.string(), z.number()).optional(),
  moments: z
    .object({
      maxMeanZ: z.number(),
      maxVarianceZ: z.number(),
      threshold: z.number(),
      similar: z.boolean(),
    })
    .optional(),
});

/** The zod schema of the speed suite's `results.json`. */
export const speedResultsSchema = z.object({
  schema: z.literal(SPEED_SCHEMA),
  runId: z.string(),
  suite: z.literal('speed'),
  createdAt: z.string(),
  durationSeconds: z.number(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** `uptime` load averages (1, 5, 15 min) at the start and the end: the machine is shared. */
  load: z.object({ before: z.array(z.number()), after: z.array(z.number()) }),
  settings: z.object({
    sizes: z.array(size),
    nfe: z.number(),
    level: z.number(),
    scoreRepeats: z.number(),
    samplerRepeats: z.number(),
    seed: z.number(),
    maxRunSeconds: z.number(),
    samplers: z.array(z.string()),
    /** Which repeat the peaks (GFLOP/s, GB/s) come from; runs before it was recorded used the fastest. */
    peakStatistic: z.enum(['median', 'fastest']).optional(),
  }),
  backends: z.array(backendResult),
  peer: z.object({
    status: z.enum(['ok', 'skipped', 'error']),
    message: z.string().optional(),
    torch: z.string().optional(),
    runs: z.array(peerRun),
  }),
  comparisons: z.array(comparison),
});

/** The speed suite's whole `results.json`. */
export type SpeedResults = z.infer<typeof speedResultsSchema>;
/** One backend's measurements. */
export type SpeedBackendResult = z.infer<typeof backendResult>;
/** One size on one backend. */
export type SpeedSizeResult = z.infer<typeof sizeResult>;
/** One row of ours-vs-PyTorch. */
export type SpeedComparison = z.infer<typeof comparison>;
/** One run of the peer (a thread count). */
export type PeerRun = z.infer<typeof peerRun>;

/**
 * Reads and validates a speed suite's `results.json` (or the one in a results directory).
 *
 * @throws FileError when it cannot be read or is not JSON; ValidationError naming the first fields that do not fit.
 */
export async function readSpeedResults(path: string): Promise<SpeedResults> {
  const file = resultsPath(path);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new FileError(`cannot read the speed results ${file}: ${(cause as Error).message}`, { cause });
  }
  const parsed = speedResultsSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 5).map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ValidationError(
      `${file} is not a speed results file (schema ${SPEED_SCHEMA}):\n${lines.join('\n')}`,
    );
  }
  return parsed.data;
}
