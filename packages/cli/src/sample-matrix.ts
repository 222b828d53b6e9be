/**
 * The host-side sample matrix the command and the benchmarks pass around: n rows of d numbers, row-major. It has the
 * shape of `@rtk-diffusion/eval`'s `RowMajorSamples`, so every metric accepts it as it is.
 */
import { type Tensor2D, tf } from '@rtk-diffusion/tensor';

/** n samples of dimension d, row-major: `values[i * d + j]` is coordinate j of sample i. */
export interface SampleMatrix {
  readonly n: number;
  readonly d: number;
  readonly values: Float32Array | Float64Array;
}

/** Copies a batch tensor [n, d] to the host (the tensor is not disposed). */
export async function matrixFromTensor(x: Tensor2D): Promise<SampleMatrix> {
  const [n, d] = x.shape;
  return { n, d, values: (await x.data()) as Float32Array };
}

/** A float32 batch tensor [n, d] of the matrix (the caller owns it). */
export function tensorFromMatrix(matrix: SampleMatrix): Tensor2D {
  return tf.tensor2d(Float32Array.from(matrix.values), [matrix.n, matrix.d]);
}

/** The rows of the matrix as arrays (for JSON). */
export function matrixRows(matrix: SampleMatrix): number[][] {
  return Array.from({ length: matrix.n }, (_, i) =>
    Array.from(matrix.values.subarray(i * matrix.d, (i + 1) * matrix.d)),
  );
}

/** Column j of the matrix. */
export function matrixColumn(matrix: SampleMatrix, j: number): Float64Array {
  const out = new Float64Array(matrix.n);
  for (let i = 0; i < matrix.n; i++) out[i] = matrix.values[i * matrix.d + j]!;
  return out;
}

/** Rows [start, end) of the matrix, as a view (no copy). */
export function matrixSlice(matrix: SampleMatrix, start: number, end: number): SampleMatrix {
  return { n: end - start, d: matrix.d, values: matrix.values.subarray(start * matrix.d, end * matrix.d) };
}

/** The rows of several matrices of one dimension, stacked in order (float64 if any part is, else float32). */
export function concatMatrices(parts: readonly SampleMatrix[]): SampleMatrix {
  const d = parts[0]?.d ?? 0;
  const n = parts.reduce((sum, part) => sum + part.n, 0);
  const values = parts.some((part) => part.values instanceof Float64Array)
    ? new Float64Array(n * d)
    : new Float32Array(n * d);
  let offset = 0;
  for (const part of parts) {
    values.set(part.values, offset);
    offset += part.values.length;
  }
  return { n, d, values };
}
