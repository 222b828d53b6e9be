/**
 * The results files of a benchmark run, `results/<run-id>/results.json` and `showcase.json`: their types, their zod
 * schemas (so `compare` and `report` read them with clear errors) and readers. The schema is documented field by
 * field in apps/bench/README.md; `schema` names its version.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileError, InvalidFileError } from '@rtk-diffusion/cli';
import { ValidationError } from '@rtk-diffusion/tensor';
import { z } from 'zod';

/** The schema version written in `results.json`. */
export const RESULTS_SCHEMA = 'rtk-diffusion-bench/1';

/** Metric values by metric name (`marginalAccuracy`, `mmd`, …; see `METRICS` of `@rtk-diffusion/cli`). */
export type Metrics = Readonly<Record<string, number>>;

/** The settings of a run: its grid and its sampler options (plain JSON). */
export interface SettingsRecord {
  readonly grid?: unknown;
  readonly samplerOptions?: Readonly<Record<string, unknown>>;
}

/** One reported run: a sampler at a budget with one setting and one seed. */
export interface RunRecord {
  readonly sampler: string;
  /** `default` (the registry's, or the paper's setup on the paper target) or `tuned` (best on the tuning seed). */
  readonly setting: 'default' | 'tuned';
  readonly label: string;
  readonly settings: SettingsRecord;
  /** The NFE budget. */
  readonly nfe: number;
  readonly seed: number;
  /** Evaluations used (≤ nfe). */
  readonly nfeUsed?: number;
  /** Wall time of the sampling (not of the metrics), seconds. */
  readonly seconds?: number;
  /** Score-model evaluations on the batch per second (nfeUsed / seconds). */
  readonly nfePerSecond?: number;
  /** Per-sample score evaluations per second (nfeUsed · n / seconds). */
  readonly evaluationsPerSecond?: number;
  readonly metrics?: Metrics;
  /** The sampler's trace summary (RTK: segments, innerSteps, meanAcceptance). */
  readonly summary?: Readonly<Record<string, number | string>>;
  /** Why the run has no metrics: `E_BUDGET` (NFE below the sampler's minimum) or `E_NUMERIC` (diverged). */
  readonly error?: { readonly code: string; readonly message: string };
}

/** One candidate of a tuning. */
export interface CandidateRecord {
  readonly label: string;
  readonly settings: SettingsRecord;
  /** 1: grids / segment counts; 2: step sizes at the best segment count (RTK). */
  readonly stage: number;
  /** Marginal accuracy on the tuning seed. */
  readonly marginalAccuracy?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

/** The tuning of one sampler at one budget. */
export interface TuningRecord {
  readonly sampler: string;
  readonly nfe: number;
  readonly seed: number;
  readonly n: number;
  /** Label of the winner (highest marginal accuracy on the tuning seed). */
  readonly chosen: string;
  readonly candidates: readonly CandidateRecord[];
}

/** Everything measured on one target. */
export interface TargetResults {
  readonly target: string;
  readonly title: string;
  readonly description: string;
  readonly dim: number;
  readonly components: number;
  /** The RTK paper's experiment (paper baselines and numbers). */
  readonly paper: boolean;
  readonly n: number;
  readonly tuningN: number;
  readonly nfes: readonly number[];
  readonly showcaseNfe: number;
  /** Metrics of an independent ground-truth sample of size n: the best a sampler can expect. */
  readonly floor: Metrics;
  /** Standard deviation of each metric over independent ground-truth samples: its noise at this n. */
  readonly noise: Metrics;
  readonly runs: readonly RunRecord[];
  readonly tuning: readonly TuningRecord[];
}

/** The whole `results.json`. */
export interface ResultsFile {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly runId: string;
  readonly suite: string;
  readonly description: string;
  readonly createdAt: string;
  readonly durationSeconds: number;
  readonly environment: Readonly<Record<string, string | number | boolean | null>>;
  readonly samplers: readonly string[];
  readonly seeds: readonly number[];
  readonly tuningSeed: number;
  readonly referenceSeed: number;
  /** Seed of the reference the tuning runs were scored against (absent in runs that used `referenceSeed`). */
  readonly tuningReferenceSeed?: number;
  readonly targets: readonly TargetResults[];
}

/** Histograms and points of the showcase runs (plots only). */
export interface ShowcaseTarget {
  readonly target: string;
  readonly nfe: number;
  readonly slice: {
    readonly dimension: number;
    /** Bin edges, bins + 1 numbers. */
    readonly edges: readonly number[];
    /**
     * Counts per bin by run label (`ground truth`, `ddpm (tuned)`, …), the sample size, and the values below the first
     * edge and above the last (absent in runs before they were recorded).
     */
    readonly counts: Readonly<
      Record<
        string,
        {
          readonly n: number;
          readonly bins: readonly number[];
          readonly below?: number;
          readonly above?: number;
        }
      >
    >;
  };
  readonly scatter: {
    readonly dimensions: readonly [number, number];
    /** Points [x, y] by run label. */
    readonly points: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  };
}

/** The whole `showcase.json`. */
export interface ShowcaseFile {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly runId: string;
  readonly targets: readonly ShowcaseTarget[];
}

const metrics = z.record(z.string(), z.number());
const error = z.object({ code: z.string(), message: z.string() });
const settings = z.object({
  grid: z.unknown().optional(),
  samplerOptions: z.record(z.string(), z.unknown()).optional(),
});

const runSchema = z.object({
  sampler: z.string(),
  setting: z.enum(['default', 'tuned']),
  label: z.string(),
  settings,
  nfe: z.number().int().positive(),
  seed: z.number().int(),
  nfeUsed: z.number().optional(),
  seconds: z.number().optional(),
  nfePerSecond: z.number().optional(),
  evaluationsPerSecond: z.number().optional(),
  metrics: metrics.optional(),
  summary: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  error: error.optional(),
});

const tuningSchema = z.object({
  sampler: z.string(),
  nfe: z.number(),
  seed: z.number(),
  n: z.number(),
  chosen: z.string(),
  candidates: z.array(
    z.object({
      label: z.string(),
      settings,
      stage: z.number(),
      marginalAccuracy: z.number().optional(),
      error: error.optional(),
    }),
  ),
});

/** The zod schema of `results.json` (version {@link RESULTS_SCHEMA}). */
export const resultsSchema: z.ZodType<ResultsFile> = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  runId: z.string(),
  suite: z.string(),
  description: z.string(),
  createdAt: z.string(),
  durationSeconds: z.number(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  samplers: z.array(z.string()),
  seeds: z.array(z.number()),
  tuningSeed: z.number(),
  referenceSeed: z.number(),
  tuningReferenceSeed: z.number().optional(),
  targets: z.array(
    z.object({
      target: z.string(),
      title: z.string(),
      description: z.string(),
      dim: z.number(),
      components: z.number(),
      paper: z.boolean(),
      n: z.number(),
      tuningN: z.number(),
      nfes: z.array(z.number()),
      showcaseNfe: z.number(),
      floor: metrics,
      noise: metrics,
      runs: z.array(runSchema),
      tuning: z.array(tuningSchema),
    }),
  ),
}) as z.ZodType<ResultsFile>;

/** The zod schema of `showcase.json`. */
export const showcaseSchema: z.ZodType<ShowcaseFile> = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  runId: z.string(),
  targets: z.array(
    z.object({
      target: z.string(),
      nfe: z.number(),
      slice: z.object({
        dimension: z.number(),
        edges: z.array(z.number()),
        counts: z.record(
          z.string(),
          z.object({
            n: z.number(),
            bins: z.array(z.number()),
            below: z.number().optional(),
            above: z.number().optional(),
          }),
        ),
      }),
      scatter: z.object({
        dimensions: z.tuple([z.number(), z.number()]),
        points: z.record(z.string(), z.array(z.tuple([z.number(), z.number()]))),
      }),
    }),
  ),
}) as z.ZodType<ShowcaseFile>;

/** `results.json` inside a directory, or the file itself. */
export function resultsPath(path: string): string {
  return path.endsWith('.json') ? path : join(path, 'results.json');
}

async function readJson<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new FileError(`cannot read ${what} ${path}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InvalidFileError(`${path} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ValidationError(`${path} is not a ${what} (schema ${RESULTS_SCHEMA}):\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * Reads and validates a `results.json` (or the one in a results directory).
 *
 * @throws FileError (exit 4) when it cannot be read; InvalidFileError or ValidationError (exit 2) when it is not JSON
 *   or its first fields do not fit.
 */
export function readResults(path: string): Promise<ResultsFile> {
  return readJson(resultsPath(path), resultsSchema, 'results file');
}

/** Reads and validates the `showcase.json` of a results directory. */
export function readShowcase(directory: string): Promise<ShowcaseFile> {
  return readJson(join(directory, 'showcase.json'), showcaseSchema, 'showcase file');
}
