/**
 * Summaries of repeated timings: median and spread (quartiles and range), as the speed suite reports them.
 */

/** Median, quartiles and range of repeated measurements (ms), with the raw values. */
export interface TimingSummary {
  readonly median: number;
  /** First and third quartile (linear interpolation between order statistics). */
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  /** Every measurement, in the order taken (warm-up excluded). */
  readonly values: readonly number[];
}

/** The q-quantile of sorted values, interpolating linearly (type 7, as R and NumPy by default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** The summary of measurements (at least one). */
export function summarize(values: readonly number[]): TimingSummary {
  const sorted = [...values].sort((p, q) => p - q);
  return {
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    values: values.map((v) => Number(v.toPrecision(6))),
  };
}

/** Runs `fn` once (warm-up, not timed) and then `repeats` times, timing each run in ms. */
export async function timeRepeats(fn: () => unknown, repeats: number): Promise<TimingSummary> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return summarize(times);
}

/** `3.21 (3.10–3.40)`: the median and the interquartile range, in the given digits. */
export function formatTiming(summary: TimingSummary, digits = 3): string {
  const f = (v: number) => formatNumber(v, digits);
  return `${f(summary.median)} (${f(summary.q1)}–${f(summary.q3)})`;
}

/** A number with `digits` significant digits, without exponent for the ranges here (1e−3 … 1e9). */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 6));
}
