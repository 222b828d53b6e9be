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
  /**
   * Process CPU time (user + system, ms) of the same repeats: steadier than wall time when other jobs share the cores
   * (a single-threaded run's CPU time is its wall time minus the time it waited for a core).
   */
  readonly cpu?: { readonly median: number; readonly min: number; readonly values: readonly number[] };
}

/** The q-quantile of sorted values, interpolating linearly (type 7, as R and NumPy by default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** The summary of measurements (at least one), with their CPU times when given. */
export function summarize(values: readonly number[], cpuValues?: readonly number[]): TimingSummary {
  const sorted = [...values].sort((p, q) => p - q);
  const cpuSorted = cpuValues === undefined ? [] : [...cpuValues].sort((p, q) => p - q);
  return {
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    values: values.map((v) => Number(v.toPrecision(6))),
    ...(cpuValues === undefined || cpuValues.length === 0
      ? {}
      : {
          cpu: {
            median: quantileSorted(cpuSorted, 0.5),
            min: cpuSorted[0]!,
            values: cpuValues.map((v) => Number(v.toPrecision(6))),
          },
        }),
  };
}

/** Process CPU time so far (user + system), ms. */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `fn` once (warm-up, not timed) and then `repeats` times, timing each run in ms (wall and CPU). */
export async function timeRepeats(fn: () => unknown, repeats: number): Promise<TimingSummary> {
  await fn();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const [start, cpuStart] = [performance.now(), cpuNow()];
    await fn();
    times.push(performance.now() - start);
    cpu.push(cpuNow() - cpuStart);
  }
  return summarize(times, cpu);
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
