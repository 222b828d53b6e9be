/**
 * The row selection of a Metropolis step on the host backends: row i of the result is a copy of row i of `whereTrue`
 * where mask[i] ≠ 0 (NaN counts as ≠ 0, as `tf.notEqual` has it), else of row i of `whereFalse`, bit for bit, by one
 * WebAssembly kernel (or JavaScript) on the tensors' memory. It also counts the rows of the result that hold a NaN or
 * ±Inf and records the count (see {@link knownNonFiniteRows}), so a sampler's divergence check costs nothing more.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from './errors.js';
import { recordFinite } from './finite.js';
import { hostTensor, hostValues } from './host.js';
import { floats, hostModule, regions, rowsPerChunk } from './host-module.js';

/** Rows × d floats per region of the module's memory for one kernel call (128 KiB). */
const CHUNK_FLOATS = 2 ** 15;

/**
 * The selection on the host (wasm and cpu backends, float32 tensors of rank 1 or 2), or null where it does not apply
 * (other backends or dtypes: use tfjs ops then).
 *
 * @throws {@link ShapeError} when the shapes differ or the mask does not have one entry per row.
 */
export function selectRowsOnHost<T extends tf.Tensor>(
  mask: tf.Tensor1D,
  whereTrue: T,
  whereFalse: T,
): T | null {
  const sameShape =
    whereTrue.rank === whereFalse.rank &&
    whereTrue.shape.every((length, axis) => length === whereFalse.shape[axis]);
  if (
    !sameShape ||
    (whereTrue.rank !== 1 && whereTrue.rank !== 2) ||
    mask.rank !== 1 ||
    mask.shape[0] !== whereTrue.shape[0]
  ) {
    throw new ShapeError(
      `selectRows: need a mask [n] and two tensors of one shape [n] or [n, d], got [${mask.shape}], [${whereTrue.shape}] and [${whereFalse.shape}]`,
    );
  }
  if (mask.dtype !== 'float32' || whereTrue.dtype !== 'float32' || whereFalse.dtype !== 'float32')
    return null;
  const n = whereTrue.shape[0]!;
  const d = whereTrue.rank === 2 ? whereTrue.shape[1]! : 1;
  let badRows = 0;
  const result = hostTensor(whereTrue.shape, (out) => {
    const [m, a, b] = [hostValues(mask)!, hostValues(whereTrue)!, hostValues(whereFalse)!];
    badRows = hostModule() === null ? selectJs(m, a, b, out, n, d) : selectWasm(m, a, b, out, n, d);
  });
  if (result === null) return null;
  recordFinite(result, badRows === 0, badRows);
  return result as T;
}

function selectWasm(
  m: Float32Array,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  n: number,
  d: number,
): number {
  const module = hostModule()!;
  const rows = rowsPerChunk(n, d, CHUNK_FLOATS);
  const at = regions(module, { mask: rows, a: rows * d, b: rows * d, out: rows * d });
  const views = {
    mask: floats(module, at.mask, rows),
    a: floats(module, at.a, rows * d),
    b: floats(module, at.b, rows * d),
    out: floats(module, at.out, rows * d),
  };
  let bad = 0;
  for (let start = 0; start < n; start += rows) {
    const count = Math.min(rows, n - start);
    const [from, to] = [start * d, (start + count) * d];
    views.mask.set(m.subarray(start, start + count));
    views.a.set(a.subarray(from, to));
    views.b.set(b.subarray(from, to));
    bad += module.selectRows(at.mask, at.a, at.b, at.out, count, d);
    out.set(views.out.subarray(0, count * d), from);
  }
  return bad;
}

function selectJs(
  m: Float32Array,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  n: number,
  d: number,
): number {
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const source = m[i] !== 0 ? a : b;
    let finite = true;
    for (let j = i * d; j < (i + 1) * d; j++) {
      const v = source[j]!;
      out[j] = v;
      if (v - v !== 0) finite = false;
    }
    if (!finite) bad++;
  }
  return bad;
}
