/**
 * The plain-JSON description of a Gaussian mixture (ALGORITHMS.md §3), validated with zod: weights, means and one
 * covariance per component, each isotropic (a number), diagonal (an array) or full (a matrix).
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { z } from 'zod';
import { cholesky } from './linalg.js';

/** A covariance: a variance v > 0 (vI), a diagonal of d variances > 0, or a full d × d positive-definite matrix. */
export type Covariance = number | readonly number[] | readonly (readonly number[])[];

/** A Gaussian mixture p_0 = Σ_i w_i N(μ_i, Σ_i): K weights summing to one, K means of length d, K covariances. */
export interface MixtureSpec {
  readonly weights: readonly number[];
  readonly means: readonly (readonly number[])[];
  readonly covariances: readonly Covariance[];
}

/** A Gaussian N(μ, Σ). */
export interface GaussianSpec {
  readonly mean: readonly number[];
  readonly covariance: Covariance;
}

/** How far the weights may sum from one (JSON with six printed digits, e.g. 3 × 0.333333, still passes). */
export const WEIGHT_SUM_TOLERANCE = 1e-6;

/** Relative asymmetry |Σ_ij − Σ_ji| / max_k Σ_kk accepted in a full covariance (it is then symmetrised). */
const SYMMETRY_TOLERANCE = 1e-9;

/** A JSON value as a reader would name it in a message: `"a"`, `null`, `an object`, `[]`. */
function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
}

/**
 * What is wrong with the shape of a covariance (before the dimension, symmetry and positive definiteness that need
 * the means), with the path inside it; undefined when it is a positive number, an array of positive numbers, or an
 * array of rows of numbers.
 */
function covarianceShapeProblem(value: unknown): { path: number[]; message: string } | undefined {
  const expected =
    'a covariance is a variance v > 0 (v·I), an array of d variances > 0 (diagonal) or d rows of d numbers (full)';
  if (typeof value === 'number') {
    return value > 0 && Number.isFinite(value)
      ? undefined
      : { path: [], message: `a variance must be a positive number, got ${value}` };
  }
  if (!Array.isArray(value)) return { path: [], message: `${expected}; got ${describe(value)}` };
  if (value.length === 0) return { path: [], message: `${expected}; got an empty array` };
  if (Array.isArray(value[0])) {
    for (const [i, row] of value.entries()) {
      if (!Array.isArray(row)) {
        return {
          path: [i],
          message: `every row of a full covariance must be an array of numbers, got ${describe(row)}`,
        };
      }
      const j = row.findIndex((entry) => typeof entry !== 'number' || !Number.isFinite(entry));
      if (j >= 0) return { path: [i, j], message: `must be a number, got ${describe(row[j])}` };
    }
    return undefined;
  }
  for (const [j, entry] of value.entries()) {
    if (typeof entry !== 'number') {
      return {
        path: [j],
        message: `a diagonal covariance holds numbers (a full one rows of numbers), got ${describe(entry)}`,
      };
    }
    if (!(entry > 0 && Number.isFinite(entry))) {
      return { path: [j], message: `a diagonal variance must be a positive number, got ${entry}` };
    }
  }
  return undefined;
}

const positive = (what: string) =>
  z.number({ error: (issue) => `${what} must be a number, got ${describe(issue.input)}` }).positive({
    error: (issue) => `${what} must be positive, got ${String(issue.input)}`,
  });

/**
 * The shape of a covariance. A value that fits none of the three forms gets the message of
 * `covarianceShapeProblem` (with the position inside the covariance) instead of zod's bare "Invalid input"; the union
 * stays a union, so `z.toJSONSchema` still describes the three forms.
 */
const covarianceShape = z.union(
  [
    positive('a variance'),
    z.array(positive('a diagonal variance')).min(1),
    z.array(z.array(z.number()).min(1)).min(1),
  ],
  {
    error: (issue) => {
      const problem = covarianceShapeProblem(issue.input);
      if (problem === undefined) return undefined;
      return `${problem.path.map((i) => `[${i}]`).join('')}${problem.path.length > 0 ? ': ' : ''}${problem.message}`;
    },
  },
);

/** Checks one covariance against the dimension d and adds issues under `path`. */
function checkCovariance(
  covariance: Covariance,
  d: number,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  if (typeof covariance === 'number') return;
  if (covariance.length !== d) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `must have ${d} rows or entries (the dimension of the means), got ${covariance.length}`,
    });
    return;
  }
  if (!Array.isArray(covariance[0])) return; // diagonal: positivity is checked by the shape schema
  const rows = covariance as readonly (readonly number[])[];
  const bad = rows.findIndex((row) => row.length !== d);
  if (bad >= 0) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, bad],
      message: `row must have ${d} entries, got ${rows[bad]!.length}`,
    });
    return;
  }
  const scale = Math.max(...rows.map((row, i) => Math.abs(row[i]!)));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(rows[i]![j]! - rows[j]![i]!) > SYMMETRY_TOLERANCE * scale) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, i, j],
          message: `covariance must be symmetric, but [${i}][${j}] = ${rows[i]![j]} and [${j}][${i}] = ${rows[j]![i]}`,
        });
        return;
      }
    }
  }
  const factor = cholesky(toSquareMatrix(rows));
  if ('failedPivot' in factor) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `covariance must be positive definite, but its Cholesky factorisation fails at pivot ${factor.failedPivot} (value ${factor.pivot})`,
    });
  }
}

/**
 * The zod schema of a {@link MixtureSpec}, with every cross-field check (lengths, symmetry, positive definiteness,
 * weights summing to one). `parseMixtureSpec` wraps it in a `ValidationError`; use the schema itself to compose
 * larger schemas or to export a JSON Schema (`z.toJSONSchema(mixtureSpecSchema)`).
 */
export const mixtureSpecSchema: z.ZodType<MixtureSpec> = z
  .object({
    weights: z.array(z.number().positive()).min(1),
    means: z.array(z.array(z.number()).min(1)).min(1),
    covariances: z.array(covarianceShape).min(1),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const k = spec.weights.length;
    if (spec.means.length !== k) {
      ctx.addIssue({
        code: 'custom',
        path: ['means'],
        message: `must have one mean per weight (${k}), got ${spec.means.length}`,
      });
    }
    if (spec.covariances.length !== k) {
      ctx.addIssue({
        code: 'custom',
        path: ['covariances'],
        message: `must have one covariance per weight (${k}), got ${spec.covariances.length}`,
      });
    }
    const sum = spec.weights.reduce((s, w) => s + w, 0);
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      ctx.addIssue({
        code: 'custom',
        path: ['weights'],
        message: `must sum to 1 (within ${WEIGHT_SUM_TOLERANCE}), but they sum to ${sum}; divide them by their sum`,
      });
    }
    const first = spec.means[0];
    if (first === undefined) return; // no means: already an issue of the shape schema
    const d = first.length;
    spec.means.forEach((mean, i) => {
      if (mean.length !== d) {
        ctx.addIssue({
          code: 'custom',
          path: ['means', i],
          message: `every mean must have the dimension of means[0] (${d}), got ${mean.length}`,
        });
      }
    });
    spec.covariances.forEach((covariance, i) => {
      checkCovariance(covariance, d, ['covariances', i], ctx);
    });
  });

/** The zod schema of a {@link GaussianSpec} (same covariance rules as a mixture component). */
export const gaussianSpecSchema: z.ZodType<GaussianSpec> = z
  .object({ mean: z.array(z.number()).min(1), covariance: covarianceShape })
  .strict()
  .superRefine((spec, ctx) => {
    checkCovariance(spec.covariance, spec.mean.length, ['covariance'], ctx);
  });

/**
 * Validates a mixture description (parsed JSON or a literal) and returns it typed.
 *
 * @throws {@link ValidationError} listing every problem with the field it concerns, e.g. `covariances[2]: covariance
 * must be positive definite…`, `weights: must sum to 1…`, `means[1]: every mean must have the dimension…`.
 */
export function parseMixtureSpec(json: unknown): MixtureSpec {
  return parseWith(mixtureSpecSchema, json, 'mixture spec');
}

/**
 * Validates a Gaussian description `{ mean, covariance }`.
 *
 * @throws {@link ValidationError} naming the bad field.
 */
export function parseGaussianSpec(json: unknown): GaussianSpec {
  return parseWith(gaussianSpecSchema, json, 'gaussian spec');
}

/**
 * Parses `json` with a zod schema, or throws one {@link ValidationError} listing every issue with its field.
 *
 * @internal
 */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const lines = issues.map((issue) => `  ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
  throw new ValidationError(`invalid ${what}:\n${lines.join('\n')}`, { issues });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** Row-major float64 copy of a square matrix given as rows, symmetrised as (Σ + Σᵀ)/2. */
export function toSquareMatrix(rows: readonly (readonly number[])[]): {
  order: number;
  values: Float64Array;
} {
  const d = rows.length;
  const values = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) values[i * d + j] = 0.5 * (rows[i]![j]! + rows[j]![i]!);
  }
  return { order: d, values };
}
