/**
 * `rtk merge OUT PARTS...`: stacks the outputs of `rtk sample --rows START:END` runs into the file one big run would
 * have written (byte for byte for .npy and .csv). With run metadata (a .json part's `meta`, or the `<file>.meta.json`
 * sidecar that `--rows` writes) the parts are put in row order and checked: same run settings, contiguous rows, no
 * overlap, the row counts their metadata promise. Every part must have the same dimension and dtype.
 */
import { isDeepStrictEqual } from 'node:util';
import { assertWritable } from '../atomic-write.js';
import { type CommandContext, printJson } from '../context.js';
import { FileError, UsageError } from '../errors.js';
import type { NpyDtype } from '../npy.js';
import { RUN_SETTINGS, type RunMeta, readRunMeta, writeRunMeta } from '../run-meta.js';
import {
  float32Text,
  openSampleFileStream,
  readSampleFile,
  sampleFormatOf,
  writeSampleFile,
} from '../sample-files.js';
import { concatMatrices, type SampleMatrix } from '../sample-matrix.js';

/** Options of `rtk merge`. */
export interface MergeCommandOptions {
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** One part to merge, as read. */
export interface MergePart {
  readonly path: string;
  readonly n: number;
  readonly d: number;
  readonly dtype: NpyDtype;
  readonly meta: RunMeta | undefined;
}

/** The merge: the parts in row order, and the metadata of the whole. */
export interface MergePlan {
  readonly parts: readonly MergePart[];
  readonly n: number;
  readonly d: number;
  readonly dtype: NpyDtype;
  /** The merged run's metadata (rows = first start to last end), when the parts have metadata. */
  readonly meta: RunMeta | undefined;
}

/**
 * The dtype of samples as read: float32 for .npy `<f4` data, and for text (.csv, .json) whose every value is a float32
 * or the shortest decimal of one (as `rtk sample` writes them); else float64.
 */
export function dtypeOf(matrix: SampleMatrix): NpyDtype {
  if (matrix.values instanceof Float32Array) return 'float32';
  const isFloat32 = (value: number) =>
    Math.fround(value) === value || Number.isNaN(value) || Number(float32Text(value)) === value;
  return matrix.values.every(isFloat32) ? 'float32' : 'float64';
}

const rowsText = (meta: RunMeta): string => `${meta.rows[0]}:${meta.rows[1]}`;

/**
 * Checks the parts and puts them in row order.
 *
 * @throws {@link UsageError} naming the parts that differ (dimension, dtype, run settings), overlap, leave a gap, or
 *   do not hold the rows their metadata say.
 */
export function planMerge(parts: readonly MergePart[]): MergePlan {
  const first = parts[0];
  if (first === undefined) throw new UsageError('rtk merge needs at least one part');
  for (const part of parts) {
    if (part.d !== first.d) {
      throw new UsageError(
        `${part.path} has d = ${part.d} columns but ${first.path} has ${first.d}: parts of one run have the same columns`,
      );
    }
    if (part.dtype !== first.dtype) {
      throw new UsageError(
        `${part.path} holds ${part.dtype} but ${first.path} holds ${first.dtype}: parts of one run have one dtype`,
      );
    }
  }
  const withMeta = parts.filter((part) => part.meta !== undefined);
  const n = parts.reduce((sum, part) => sum + part.n, 0);
  if (withMeta.length === 0) return { parts, n, d: first.d, dtype: first.dtype, meta: undefined };
  const bare = parts.find((part) => part.meta === undefined);
  if (bare !== undefined) {
    throw new UsageError(
      `${bare.path} has no run metadata (no ${bare.path}.meta.json) but ${withMeta[0]!.path} has: ` +
        'draw every part with rtk sample --rows START:END (or remove all sidecars to concatenate unchecked)',
    );
  }
  const sorted = [...parts].sort((a, b) => a.meta!.rows[0] - b.meta!.rows[0]);
  const reference = sorted[0]!.meta!;
  for (const part of sorted) {
    const meta = part.meta!;
    if (meta.rows[1] - meta.rows[0] !== part.n) {
      throw new UsageError(
        `${part.path} holds ${part.n} rows but its metadata say rows ${rowsText(meta)} (${meta.rows[1] - meta.rows[0]} rows): the file and its metadata do not belong together`,
      );
    }
    for (const key of RUN_SETTINGS) {
      if (!isDeepStrictEqual(meta[key], reference[key])) {
        throw new UsageError(
          `${part.path} was drawn with ${key} ${JSON.stringify(meta[key]) ?? 'unset'} but ${sorted[0]!.path} with ` +
            `${JSON.stringify(reference[key]) ?? 'unset'}: parts of one run share target, sampler, NFE, seed, grid and sampler options`,
        );
      }
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const part = sorted[i]!;
    const end = before.meta!.rows[1];
    const start = part.meta!.rows[0];
    if (start < end) {
      throw new UsageError(
        `${before.path} (rows ${rowsText(before.meta!)}) and ${part.path} (rows ${rowsText(part.meta!)}) overlap: give each row once`,
      );
    }
    if (start > end) {
      throw new UsageError(
        `rows ${end}:${start} are missing between ${before.path} (rows ${rowsText(before.meta!)}) and ${part.path} ` +
          `(rows ${rowsText(part.meta!)}): draw them with rtk sample --rows ${end}:${start}`,
      );
    }
  }
  const last = sorted.at(-1)!.meta!;
  const meta: RunMeta = { ...reference, rows: [reference.rows[0], last.rows[1]] };
  return { parts: sorted, n, d: first.d, dtype: first.dtype, meta };
}

/** A part's samples in the merge's dtype. */
function asDtype(matrix: SampleMatrix, dtype: NpyDtype): SampleMatrix {
  if (dtype === 'float32' && !(matrix.values instanceof Float32Array)) {
    return { ...matrix, values: Float32Array.from(matrix.values) };
  }
  if (dtype === 'float64' && !(matrix.values instanceof Float64Array)) {
    return { ...matrix, values: Float64Array.from(matrix.values) };
  }
  return matrix;
}

/** Runs `rtk merge`. */
export async function runMerge(
  context: CommandContext,
  out: string,
  paths: readonly string[],
  options: MergeCommandOptions,
): Promise<void> {
  const format = sampleFormatOf(out);
  for (const path of paths) sampleFormatOf(path);
  if (paths.includes(out))
    throw new UsageError(`the output ${out} is also a part; write the merge to a new file`);
  await assertWritable(out);
  // First pass: shapes, dtypes and metadata (one part in memory at a time).
  const parts: MergePart[] = [];
  for (const path of paths) {
    const samples = await readSampleFile(path);
    parts.push({ path, n: samples.n, d: samples.d, dtype: dtypeOf(samples), meta: await readRunMeta(path) });
  }
  const plan = planMerge(parts);
  if (plan.meta === undefined && options.quiet !== true && paths.length > 1) {
    context.io.stderr.write(
      'rtk merge: the parts carry no run metadata: concatenated in the order given, rows and settings unchecked\n',
    );
  }
  // Second pass: the rows, in order.
  if (format === 'json') {
    const matrices: SampleMatrix[] = [];
    for (const part of plan.parts) matrices.push(asDtype(await readSampleFile(part.path), plan.dtype));
    await writeSampleFile(out, concatMatrices(matrices), { ...plan.meta });
  } else {
    const stream = await openSampleFileStream(out, plan);
    try {
      for (const part of plan.parts) {
        const samples = await readSampleFile(part.path);
        if (samples.n !== part.n) throw new FileError(`${part.path} changed while merging`);
        await stream.write(asDtype(samples, plan.dtype));
      }
      await stream.commit();
    } catch (error) {
      await stream.abort();
      throw error;
    }
    if (plan.meta !== undefined) await writeRunMeta(out, plan, plan.meta);
  }
  const summary = {
    out,
    n: plan.n,
    d: plan.d,
    dtype: plan.dtype,
    parts: plan.parts.map((part) => ({ path: part.path, n: part.n, rows: part.meta?.rows })),
    ...(plan.meta === undefined ? {} : { rows: plan.meta.rows, checked: true }),
  };
  if (options.json === true) printJson(context.io, summary);
  else if (options.quiet !== true) {
    context.io.stdout.write(
      `merged ${plan.parts.length} parts into ${out}: ${plan.n} samples (d = ${plan.d}, ${plan.dtype})` +
        `${plan.meta === undefined ? '' : `, rows ${rowsText(plan.meta)} of ${plan.meta.sampler} on ${plan.meta.target}, seed ${plan.meta.seed}`}\n`,
    );
  }
}
