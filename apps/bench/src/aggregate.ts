/**
 * Reading results: metric means over seeds per sampler, setting and budget, and the verdict of one sampler against
 * another at equal NFE, judged against the metric's noise.
 */
import type { RunRecord, TargetResults } from './results.js';

/** The mean of a metric over the seeds of one sampler, setting and budget. */
export interface Cell {
  /** Mean over the seeds that produced a value (undefined when none did). */
  readonly mean: number | undefined;
  /** Seeds with a value. */
  readonly count: number;
  /** Error code of the failed seeds (E_BUDGET, E_NUMERIC), if all failed. */
  readonly error: string | undefined;
  /** The setting's label (from the first seed). */
  readonly label: string | undefined;
}

/** The runs of one sampler, setting and budget. */
export function runsOf(
  target: TargetResults,
  sampler: string,
  setting: 'default' | 'tuned',
  nfe: number,
): RunRecord[] {
  return target.runs.filter((r) => r.sampler === sampler && r.setting === setting && r.nfe === nfe);
}

/** The mean of `metric` over seeds. */
export function cellOf(
  target: TargetResults,
  sampler: string,
  setting: 'default' | 'tuned',
  nfe: number,
  metric: string,
): Cell {
  const runs = runsOf(target, sampler, setting, nfe);
  const values = runs.map((r) => r.metrics?.[metric]).filter((v): v is number => v !== undefined);
  return {
    mean: values.length === 0 ? undefined : values.reduce((s, v) => s + v, 0) / values.length,
    count: values.length,
    error: values.length === 0 ? runs.find((r) => r.error !== undefined)?.error?.code : undefined,
    label: runs[0]?.label,
  };
}

/** How one sampler fares against another at one budget. */
export interface Verdict {
  readonly nfe: number;
  readonly ours: number | undefined;
  readonly theirs: number | undefined;
  /** ours − theirs. */
  readonly difference: number | undefined;
  /** Standard error of the difference. */
  readonly standardError: number;
  /** `better` / `worse` when |difference| > 2 standard errors, else `tie`; `n/a` when one is missing. */
  readonly outcome: 'better' | 'worse' | 'tie' | 'n/a';
}

/**
 * Compares `ours` with `theirs` (both with the given setting) on marginal accuracy at each budget. The standard error
 * of a difference of two independent runs is sqrt(2) · σ / sqrt(seeds), with σ the target's measured noise of the
 * metric (its spread over independent ground-truth samples of the same size).
 */
export function verdicts(
  target: TargetResults,
  ours: { readonly sampler: string; readonly setting: 'default' | 'tuned' },
  theirs: { readonly sampler: string; readonly setting: 'default' | 'tuned' },
  metric = 'marginalAccuracy',
): Verdict[] {
  const sigma = target.noise[metric] ?? 0;
  return target.nfes.map((nfe) => {
    const a = cellOf(target, ours.sampler, ours.setting, nfe, metric);
    const b = cellOf(target, theirs.sampler, theirs.setting, nfe, metric);
    const seeds = Math.max(1, Math.min(a.count, b.count));
    const standardError = (Math.SQRT2 * sigma) / Math.sqrt(seeds);
    if (a.mean === undefined || b.mean === undefined) {
      return {
        nfe,
        ours: a.mean,
        theirs: b.mean,
        difference: undefined,
        standardError,
        outcome: 'n/a' as const,
      };
    }
    const difference = a.mean - b.mean;
    const outcome =
      difference > 2 * standardError
        ? 'better'
        : difference < -2 * standardError
          ? 'worse'
          : ('tie' as const);
    return { nfe, ours: a.mean, theirs: b.mean, difference, standardError, outcome };
  });
}

/** Seconds as `4 min 12 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - 60 * minutes)} s`;
}
