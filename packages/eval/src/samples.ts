/**
 * Sample inputs of every metric: a batch `Tensor2D` [n, d], rows as `number[][]`, or a row-major typed array with its
 * column count. Each metric reads its inputs once to the host with {@link readSamples}, which validates them (non-empty,
 * finite, matching dimensions) so that every metric fails the same way on bad input.
 */
import { type Rng, RtkError, ShapeError, type Tensor2D, tf, ValidationError } from '@rtk-diffusion/tensor';

/** A row-major sample without a tensor: `values[i * d + j]` is coordinate j of sample i. */
export interface RowMajorSamples {
  /** n × d numbers, row after row. */
  readonly values: Float32Array | Float64Array | readonly number[];
  /** Number of columns (the dimension). */
  readonly d: number;
}

/** What every metric accepts as a sample: a float32 batch [n, d], an array of rows, or {@link RowMajorSamples}. */
export type SampleInput = Tensor2D | readonly (readonly number[])[] | RowMajorSamples;

/** A validated sample on the host: `values` holds n × d finite numbers, row-major. */
export interface HostSamples {
  /** Row-major values; a view of the caller's typed array when it was one (never written to). */
  readonly values: Float32Array | Float64Array;
  /** Number of rows (samples), at least 1. */
  readonly n: number;
  /** Number of columns (dimension), at least 1. */
  readonly d: number;
}

/** Input samples contain NaN or ±Infinity (code `E_NUMERIC`): a sampler diverged, or the data are corrupt. */
export class NonFiniteSampleError extends RtkError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_NUMERIC', message, details === undefined ? {} : { details });
  }
}

/**
 * Reads a {@link SampleInput} to the host and validates it.
 *
 * @param input - the sample.
 * @param name - how to call it in error messages (e.g. `'samples'`, `'reference'`).
 * @throws {@link ShapeError} when a tensor is not a float32 [n, d] batch or rows have unequal lengths;
 *   {@link ValidationError} when the sample is empty; {@link NonFiniteSampleError} when a value is NaN or infinite.
 */
export async function readSamples(input: SampleInput, name: string): Promise<HostSamples> {
  let host: HostSamples;
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2) {
      throw new ShapeError(`${name} must be a batch of shape [n, d], got shape [${input.shape.join(', ')}]`, {
        shape: input.shape,
      });
    }
    if (input.dtype !== 'float32') {
      throw new ShapeError(`${name} must have dtype float32, got ${input.dtype}`, { dtype: input.dtype });
    }
    const [n, d] = input.shape as [number, number];
    host = { values: (await input.data()) as Float32Array, n, d };
  } else if (Array.isArray(input)) {
    host = fromRows(input as readonly (readonly number[])[], name);
  } else if (typeof input === 'object' && input !== null && 'values' in input && 'd' in input) {
    host = fromRowMajor(input, name);
  } else {
    throw new ShapeError(
      `${name} must be a Tensor2D [n, d], an array of rows, or { values, d }, got ${typeof input}`,
    );
  }
  if (host.n === 0) {
    throw new ValidationError(`${name} is empty (0 samples); every metric needs at least one sample`, {
      n: 0,
    });
  }
  if (host.d === 0) {
    throw new ShapeError(`${name} has 0 columns; samples need dimension d ≥ 1`, { d: 0 });
  }
  assertFinite(host, name);
  return host;
}

/**
 * Reads and validates two samples that a metric compares: both must have the same dimension.
 *
 * @throws {@link ShapeError} on a dimension mismatch, and whatever {@link readSamples} throws.
 */
export async function readPair(
  samples: SampleInput,
  reference: SampleInput,
): Promise<[HostSamples, HostSamples]> {
  const x = await readSamples(samples, 'samples');
  const y = await readSamples(reference, 'reference');
  if (x.d !== y.d) {
    throw new ShapeError(
      `samples and reference must have the same dimension, got d = ${x.d} and d = ${y.d}`,
      { samplesDimension: x.d, referenceDimension: y.d },
    );
  }
  return [x, y];
}

/**
 * At most `maxSamples` rows of `x`: all of them when n ≤ maxSamples, otherwise a uniformly random subset without
 * replacement (original row order kept) chosen with `rng.fork(label)`, so the caller's stream does not advance and the
 * same `rng` gives the same subset. Without an `rng` a too-large sample is an error, never a silent truncation.
 *
 * @throws {@link ValidationError} when maxSamples is not a positive integer, or n > maxSamples and no rng is given.
 */
export function subsample(
  x: HostSamples,
  maxSamples: number,
  rng: Rng | undefined,
  label: string,
): HostSamples {
  if (!Number.isInteger(maxSamples) || maxSamples < 1) {
    throw new ValidationError(`maxSamples must be a positive integer, got ${maxSamples}`, { maxSamples });
  }
  if (x.n <= maxSamples) return x;
  if (rng === undefined) {
    throw new ValidationError(
      `${label} has ${x.n} rows, more than maxSamples = ${maxSamples}: pass an rng to subsample, or raise maxSamples`,
      { n: x.n, maxSamples },
    );
  }
  // One uniform key per row (row-keyed draw of exactly [n, 1]); the rows with the smallest keys form the subset.
  const keys = rng.fork(`subsample-${label}`).uniformArray(x.n, 1);
  const order = Array.from({ length: x.n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
  const kept = order.slice(0, maxSamples).sort((a, b) => a - b);
  const values = new Float64Array(maxSamples * x.d);
  kept.forEach((row, i) => {
    values.set(x.values.subarray(row * x.d, (row + 1) * x.d), i * x.d);
  });
  return { values, n: maxSamples, d: x.d };
}

/** Checks that `value` is an integer ≥ `min`; the message names the option. */
export function assertInteger(value: number, min: number, option: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(`${option} must be an integer ≥ ${min}, got ${value}`, { [option]: value });
  }
}

function fromRows(rows: readonly (readonly number[])[], name: string): HostSamples {
  const n = rows.length;
  const d = n === 0 ? 0 : (rows[0]?.length ?? 0);
  const values = new Float64Array(n * d);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d) {
      throw new ShapeError(
        `${name}: every row must have ${d} numbers (like row 0), row ${i} has ${Array.isArray(row) ? row.length : typeof row}`,
        { row: i, expected: d },
      );
    }
    for (let j = 0; j < d; j++) values[i * d + j] = row[j]!;
  });
  return { values, n, d: n === 0 ? 1 : d };
}

function fromRowMajor(input: RowMajorSamples, name: string): HostSamples {
  const { d } = input;
  if (!Number.isInteger(d) || d < 1) {
    throw new ShapeError(`${name}.d must be a positive integer (the number of columns), got ${d}`, { d });
  }
  if (input.values.length % d !== 0) {
    throw new ShapeError(
      `${name}.values has ${input.values.length} numbers, not a multiple of d = ${d}; pass n × d numbers row-major`,
      { length: input.values.length, d },
    );
  }
  const values =
    input.values instanceof Float32Array || input.values instanceof Float64Array
      ? input.values
      : Float64Array.from(input.values);
  return { values, n: values.length / d, d };
}

function assertFinite(x: HostSamples, name: string): void {
  const { values } = x;
  for (let k = 0; k < x.n * x.d; k++) {
    if (!Number.isFinite(values[k]!)) {
      let count = 0;
      for (let l = k; l < x.n * x.d; l++) if (!Number.isFinite(values[l]!)) count++;
      const row = Math.floor(k / x.d);
      throw new NonFiniteSampleError(
        `${name} has ${count} non-finite value(s) (first: ${values[k]} at row ${row}, column ${k % x.d}); ` +
          'metrics need finite samples: check the sampler for divergence, or drop those rows first',
        { count, row, column: k % x.d },
      );
    }
  }
}
