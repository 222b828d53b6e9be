/**
 * `compare`: diff two results files run by run (same target, sampler, setting and NFE) and flag changes of one metric
 * beyond noise, in that metric's direction (`METRICS[metric].higherIsBetter`: a rise of marginal accuracy is an
 * improvement, a rise of sliced W2 a regression). The noise of a mean over k seeds is the spread of the seeds / √k when k ≥ 2, else the target's measured
 * metric noise (its spread over independent ground-truth samples of the same size); a change is flagged when it
 * exceeds `threshold` (default 3) standard errors of the difference.
 */
import { formatMetric, formatTextTable, METRICS, type MetricName, metricName } from '@rtk-diffusion/cli';
import { ValidationError } from '@rtk-diffusion/tensor';
import { runsOf } from './aggregate.js';
import type { ResultsFile, TargetResults } from './results.js';

/** One compared cell. */
export interface Change {
  readonly target: string;
  readonly sampler: string;
  readonly setting: 'default' | 'tuned';
  readonly nfe: number;
  readonly before: number;
  readonly after: number;
  readonly difference: number;
  readonly standardError: number;
  /** `regression` (worse beyond noise), `improvement` (better beyond noise) or `same`. */
  readonly status: 'regression' | 'improvement' | 'same';
}

/** What {@link compareResults} returns. */
export interface Comparison {
  readonly metric: MetricName;
  /** The metric's direction: whether a higher value is better. */
  readonly higherIsBetter: boolean;
  readonly threshold: number;
  readonly changes: readonly Change[];
  readonly regressions: readonly Change[];
  readonly improvements: readonly Change[];
  /** Cells present in one file only (`target/sampler/setting@nfe`). */
  readonly unmatched: readonly string[];
}

function stats(
  target: TargetResults,
  sampler: string,
  setting: 'default' | 'tuned',
  nfe: number,
  metric: string,
) {
  const values = runsOf(target, sampler, setting, nfe)
    .map((r) => r.metrics?.[metric])
    .filter((v): v is number => v !== undefined);
  if (values.length === 0) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const spread =
    values.length >= 2
      ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
      : (target.noise[metric] ?? 0);
  return { mean, standardError: spread / Math.sqrt(values.length) };
}

/**
 * Compares `after` with `before` on `metric` (default marginal accuracy), in the metric's direction: a change for the
 * worse beyond `threshold` standard errors is a regression, for the better an improvement.
 *
 * @param threshold - standard errors of the difference beyond which a change is flagged.
 * @throws RtkError `E_UNKNOWN_NAME` for an unknown metric (suggesting the nearest); ValidationError for a threshold
 *   that is not a positive number.
 */
export function compareResults(
  before: ResultsFile,
  after: ResultsFile,
  options: { readonly metric?: string; readonly threshold?: number } = {},
): Comparison {
  const metric = metricName(options.metric ?? 'marginalAccuracy');
  const { higherIsBetter } = METRICS[metric];
  const threshold = options.threshold ?? 3;
  if (!(Number.isFinite(threshold) && threshold > 0)) {
    throw new ValidationError(`--threshold must be a positive number of standard errors, got ${threshold}`);
  }
  const changes: Change[] = [];
  const unmatched: string[] = [];
  const cellKeys = (results: ResultsFile) =>
    new Set(
      results.targets.flatMap((t) => t.runs.map((r) => `${t.target}/${r.sampler}/${r.setting}@${r.nfe}`)),
    );
  const keysBefore = cellKeys(before);
  const keysAfter = cellKeys(after);
  for (const key of keysBefore) if (!keysAfter.has(key)) unmatched.push(key);
  for (const key of keysAfter) if (!keysBefore.has(key)) unmatched.push(key);
  for (const targetAfter of after.targets) {
    const targetBefore = before.targets.find((t) => t.target === targetAfter.target);
    if (targetBefore === undefined) continue;
    const seen = new Set<string>();
    for (const run of targetAfter.runs) {
      const key = `${run.sampler}/${run.setting}@${run.nfe}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const a = stats(targetBefore, run.sampler, run.setting, run.nfe, metric);
      const b = stats(targetAfter, run.sampler, run.setting, run.nfe, metric);
      if (a === undefined || b === undefined) continue;
      const difference = b.mean - a.mean;
      const standardError = Math.hypot(a.standardError, b.standardError);
      const beyond = Math.abs(difference) > threshold * standardError && standardError > 0;
      changes.push({
        target: targetAfter.target,
        sampler: run.sampler,
        setting: run.setting,
        nfe: run.nfe,
        before: a.mean,
        after: b.mean,
        difference,
        standardError,
        status: !beyond ? 'same' : difference < 0 === higherIsBetter ? 'regression' : 'improvement',
      });
    }
  }
  return {
    metric,
    higherIsBetter,
    threshold,
    changes,
    regressions: changes.filter((c) => c.status === 'regression'),
    improvements: changes.filter((c) => c.status === 'improvement'),
    unmatched,
  };
}

/** A text report of a comparison. */
export function comparisonText(comparison: Comparison, beforeId: string, afterId: string): string {
  const rows = (list: readonly Change[]) =>
    list.map((c) => [
      `${c.target} ${c.sampler} (${c.setting})`,
      String(c.nfe),
      formatMetric(c.before),
      formatMetric(c.after),
      `${c.difference >= 0 ? '+' : ''}${c.difference.toFixed(4)}`,
      (c.difference / c.standardError).toFixed(1),
    ]);
  const header = ['run', 'NFE', beforeId, afterId, 'Δ', 'Δ / se'];
  const parts = [
    `${comparison.metric} (${comparison.higherIsBetter ? 'higher' : 'lower'} is better): ${afterId} against ${beforeId}, ` +
      `${comparison.changes.length} cells compared, ` +
      `flagged beyond ${comparison.threshold} standard errors: ${comparison.regressions.length} regression(s), ` +
      `${comparison.improvements.length} improvement(s)`,
  ];
  if (comparison.regressions.length > 0)
    parts.push(`\nRegressions:\n${formatTextTable(header, rows(comparison.regressions))}`);
  if (comparison.improvements.length > 0)
    parts.push(`\nImprovements:\n${formatTextTable(header, rows(comparison.improvements))}`);
  if (comparison.unmatched.length > 0)
    parts.push(`\nIn one file only (not compared): ${comparison.unmatched.length} cells`);
  return `${parts.join('\n')}\n`;
}
