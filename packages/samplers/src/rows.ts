/**
 * Row chunks of a seeded run. Every sampler's rows are keyed (`rowOffset`, `Rng.atRows`): rows [s, e) of a run are
 * the same whether drawn alone or inside the whole batch. So a run can be cut into contiguous chunks, drawn one by
 * one (bounded memory), in parallel (worker threads, processes, machines) or in any order, and stacked back in row
 * order into exactly the single run. This module is the one place that cuts a row range into chunks and walks it;
 * it has no Node dependency (the worker pool lives in the CLI).
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import type { Sampler } from './sampler.js';
import type { SampleOptions, SampleResult, StepEvent } from './types.js';

/** Rows [start, end) of a seeded run. */
export interface RowRange {
  /** First row (inclusive). */
  readonly start: number;
  /** One past the last row. */
  readonly end: number;
}

function checkRange(range: RowRange): void {
  const { start, end } = range;
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start < end)) {
    throw new ValidationError(`rows must be integers with 0 ≤ start < end, got [${start}, ${end})`, {
      start,
      end,
    });
  }
}

/**
 * Cuts `range` into contiguous chunks of `size` rows (the last one shorter), in row order.
 *
 * @throws ValidationError when the range is empty or `size` is not a positive integer.
 */
export function rowChunks(range: RowRange, size: number): RowRange[] {
  checkRange(range);
  if (!(Number.isSafeInteger(size) && size >= 1)) {
    throw new ValidationError(`chunk size must be an integer ≥ 1, got ${size}`, { size });
  }
  const chunks: RowRange[] = [];
  for (let start = range.start; start < range.end; start += size) {
    chunks.push({ start, end: Math.min(start + size, range.end) });
  }
  return chunks;
}

/**
 * Cuts `range` into at most `parts` contiguous chunks of near-equal length (lengths differ by at most one row, the
 * longer ones first), in row order; fewer parts when the range has fewer rows.
 *
 * @throws ValidationError when the range is empty or `parts` is not a positive integer.
 */
export function rowParts(range: RowRange, parts: number): RowRange[] {
  checkRange(range);
  if (!(Number.isSafeInteger(parts) && parts >= 1)) {
    throw new ValidationError(`parts must be an integer ≥ 1, got ${parts}`, { parts });
  }
  const rows = range.end - range.start;
  const count = Math.min(parts, rows);
  const base = Math.floor(rows / count);
  const extra = rows % count;
  const chunks: RowRange[] = [];
  let start = range.start;
  for (let part = 0; part < count; part++) {
    const end = start + base + (part < extra ? 1 : 0);
    chunks.push({ start, end });
    start = end;
  }
  return chunks;
}

/** Options of {@link sampleRows}: a sampler's options with `rows` (and `batchSize`) in place of `n`. */
export type SampleRowsOptions = Omit<SampleOptions, 'n' | 'rowOffset' | 'initial' | 'onStep'> &
  Readonly<Record<string, unknown>> & {
    /** The rows of the seeded run to draw. */
    readonly rows: RowRange;
    /** Rows per sampler call (memory bound), default all of them; the samples do not depend on it. */
    readonly batchSize?: number;
    /** Called after every outer step of every batch, with the batch's rows. */
    readonly onStep?: (event: StepEvent, batch: RowRange) => void;
  };

/** One batch of {@link sampleRows}: its rows and the sampler's result (the caller owns `result.x`). */
export interface RowBatch {
  /** The rows this batch holds. */
  readonly rows: RowRange;
  /** The sampler's result for these rows; dispose `result.x`. */
  readonly result: SampleResult;
}

/**
 * Draws rows `options.rows` of the run seeded by `options.rng` with `sampler`, in batches of `batchSize` rows,
 * yielding each batch in row order as soon as it is drawn: stacking the batches gives exactly the rows of one run,
 * whatever the batch size. The caller owns (and disposes) each `result.x`.
 *
 * @example
 * for await (const { rows, result } of sampleRows(ddpm, { model, nfe: 50, rng: createRng(0), rows: { start: 0, end: 10_000 }, batchSize: 1000 })) {
 *   write(rows, await result.x.data());
 *   result.x.dispose();
 * }
 */
export async function* sampleRows(
  sampler: Pick<Sampler, 'sample'>,
  options: SampleRowsOptions,
): AsyncGenerator<RowBatch, void, undefined> {
  const { rows, batchSize, onStep, ...rest } = options;
  const batches = rowChunks(rows, batchSize ?? rows.end - rows.start);
  for (const batch of batches) {
    const result = await sampler.sample({
      ...rest,
      n: batch.end - batch.start,
      rowOffset: batch.start,
      ...(onStep === undefined ? {} : { onStep: (event: StepEvent) => onStep(event, batch) }),
    } as SampleOptions);
    yield { rows: batch, result };
  }
}
