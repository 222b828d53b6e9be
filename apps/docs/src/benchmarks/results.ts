/**
 * Reading the latest committed benchmark results (`results/<run-id>/results.json`, written by `pnpm bench`; schema
 * `rtk-diffusion-bench/1`, documented in apps/bench/README.md) into what the benchmark page shows: per target, a table
 * per metric (mean ± sd over seeds, by sampler setting and NFE), the curves for the charts, failures and speed, and
 * the headline that the guide quotes (marginal accuracy at the largest NFE).
 * Everything is checked defensively, so a missing or foreign file gives a page that says so instead of a failed build.
 */
import { relative } from 'node:path';
import { isObject, latestOf, num, resultsDirectories, scanRuns, text } from './runs.js';
import {
  type BenchView,
  formatValue,
  type Headline,
  METRIC_INFO,
  type MetricView,
  type TargetView,
} from './view.js';

type Json = Record<string, unknown>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Marginal accuracy at `nfe` from the chart series (means over seeds), tuned rows first. */
function headline(metrics: readonly MetricView[], nfe: number, floor: number | undefined): Headline {
  const series = metrics.find((m) => m.metric === 'marginalAccuracy')?.series ?? [];
  const at = (name: string) => series.find((s) => s.name === name)?.points.find((p) => p.x === nfe)?.y;
  const samplers = [...new Set(series.map((s) => s.name.replace(/ \((tuned|default)\)$/, '')))];
  const values = samplers.flatMap((sampler) => {
    const value = at(`${sampler} (tuned)`) ?? at(`${sampler} (default)`) ?? at(sampler);
    return value === undefined ? [] : [{ sampler, value }];
  });
  const tuned = values.filter(({ sampler }) => at(`${sampler} (tuned)`) !== undefined);
  const best = (tuned.length > 0 ? tuned : values).reduce<{ sampler: string; value: number } | undefined>(
    (top, v) => (top === undefined || v.value > top.value ? v : top),
    undefined,
  );
  return {
    nfe,
    floor: floor === undefined ? '–' : formatValue(floor),
    best:
      best === undefined
        ? { sampler: '–', value: '–' }
        : { sampler: best.sampler, value: formatValue(best.value) },
    bySampler: Object.fromEntries(values.map(({ sampler, value }) => [sampler, formatValue(value)])),
  };
}

/** Summarises one target's runs. */
function targetView(target: Json): TargetView {
  const runs = Array.isArray(target.runs) ? target.runs.filter(isObject) : [];
  const floor = isObject(target.floor) ? target.floor : {};
  const noise = isObject(target.noise) ? target.noise : {};
  const nfes = [...new Set(runs.map((r) => num(r.nfe)).filter((v): v is number => v !== undefined))].sort(
    (a, b) => a - b,
  );
  // One row per sampler and setting (`ddpm (tuned)`); a run's own label (its grid or segment setting, which tuning may
  // change from one NFE to the next) is kept per cell.
  const rowOf = (r: Json): string =>
    typeof r.sampler === 'string'
      ? `${r.sampler}${typeof r.setting === 'string' ? ` (${r.setting})` : ''}`
      : text(r.label, '?');
  const labels = [...new Set(runs.map(rowOf))];
  const metricNames = [
    ...new Set(runs.flatMap((r) => (isObject(r.metrics) ? Object.keys(r.metrics) : []))),
  ].sort((a, b) => {
    const order = Object.keys(METRIC_INFO);
    const [ia, ib] = [order.indexOf(a), order.indexOf(b)];
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const metrics = metricNames.map((metric): MetricView => {
    const info = METRIC_INFO[metric] ?? { title: metric, higherIsBetter: false };
    const stats = labels.map((label) =>
      nfes.map((nfe) => {
        const cellRuns = runs.filter((r) => rowOf(r) === label && r.nfe === nfe && isObject(r.metrics));
        const values = cellRuns
          .map((r) => num((r.metrics as Json)[metric]))
          .filter((v): v is number => v !== undefined);
        if (values.length === 0) return undefined;
        const setting = [...new Set(cellRuns.map((r) => text(r.label)).filter((l) => l !== ''))].join('; ');
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const sd =
          values.length > 1
            ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
            : undefined;
        return { mean, sd, setting };
      }),
    );
    const bestPerColumn = nfes.map((_, j) => {
      const means = stats.map((row) => row[j]?.mean).filter((v): v is number => v !== undefined);
      if (means.length === 0) return undefined;
      return info.higherIsBetter ? Math.max(...means) : Math.min(...means);
    });
    const floorValue = num(floor[metric]);
    const noiseValue = num(noise[metric]);
    return {
      metric,
      title: info.title,
      higherIsBetter: info.higherIsBetter,
      floor: floorValue === undefined ? '–' : formatValue(floorValue),
      noise: noiseValue === undefined ? '–' : formatValue(noiseValue),
      nfes,
      rows: labels.map((label, i) => ({
        label,
        cells: stats[i]!.map((s) =>
          s === undefined
            ? '–'
            : s.sd === undefined
              ? formatValue(s.mean)
              : `${formatValue(s.mean)} ± ${formatValue(s.sd)}`,
        ),
        best: stats[i]!.map((s, j) => s !== undefined && s.mean === bestPerColumn[j]),
        settings: stats[i]!.map((s) => s?.setting ?? ''),
      })),
      series: labels.map((label, i) => ({
        name: label,
        points: nfes.flatMap((nfe, j) => {
          const s = stats[i]![j];
          return s === undefined ? [] : [{ x: nfe, y: s.mean }];
        }),
      })),
    };
  });
  const failures = runs
    .filter((r) => isObject(r.error))
    .map((r) => {
      const error = r.error as Json;
      return `${rowOf(r)} [${text(r.label)}] at NFE ${String(r.nfe)} (seed ${String(r.seed)}): ${text(error.code)} ${text(error.message)}`;
    });
  const speed = labels.flatMap((label) => {
    const rates = runs
      .filter((r) => rowOf(r) === label)
      .map((r) => num(r.nfePerSecond))
      .filter((v): v is number => v !== undefined);
    return rates.length === 0 ? [] : [{ label, nfePerSecond: formatValue(median(rates)) }];
  });
  const seeds = new Set(runs.map((r) => r.seed)).size;
  const showcase = num(target.showcaseNfe);
  const atNfeValue = showcase !== undefined && nfes.includes(showcase) ? showcase : (nfes.at(-1) ?? 0);
  const column = nfes.indexOf(atNfeValue);
  const atNfe = {
    nfe: atNfeValue,
    columns: metrics.map((m) => ({ metric: m.metric, title: m.title, higherIsBetter: m.higherIsBetter })),
    rows: labels.map((label, i) => ({
      label,
      cells: metrics.map((m) => (m.rows[i]?.cells[column] ?? '–').replace(/ ± .*/, '')),
      best: metrics.map((m) => m.rows[i]?.best[column] ?? false),
    })),
  };
  return {
    headline: headline(metrics, nfes.at(-1) ?? 0, num(floor.marginalAccuracy)),
    target: text(target.target, '?'),
    title: text(target.title, text(target.target, '?')),
    description: text(target.description),
    dim: num(target.dim) ?? 0,
    components: num(target.components) ?? 0,
    paper: target.paper === true,
    n: num(target.n) ?? 0,
    seeds,
    metrics,
    atNfe,
    failures,
    speed,
  };
}

/** The suites the benchmark page is about (every sampler on the exact-score targets); others show only if none is. */
const MAIN_SUITES: readonly string[] = ['quick', 'full'];

/**
 * The latest committed results of the main suites (`quick` or `full`, by `createdAt`; another suite of the same
 * schema, such as `toy`, only when there is none) among `results/<run>/results.json` and
 * `apps/bench/results/<run>/results.json` under `repoRoot`, summarised; `{ available: false, reason }` when there are
 * none or they cannot be read. `directories` (a preview of uncommitted runs) are read whether or not git tracks them.
 */
export function loadLatestResults(repoRoot: string, directories?: readonly string[]): BenchView {
  const scan = scanRuns(repoRoot, directories ?? resultsDirectories(repoRoot), directories === undefined);
  if (scan.files === 0) {
    return { available: false, reason: 'No benchmark results are committed yet.' };
  }
  const readable = {
    files: scan.files,
    runs: scan.runs.filter(
      (run) => run.schema.startsWith('rtk-diffusion-bench/') && Array.isArray(run.json.targets),
    ),
  };
  const chosen = latestOf(readable, MAIN_SUITES) ?? readable.runs[0];
  if (chosen === undefined) {
    return {
      available: false,
      reason: `Found ${scan.files} results file(s), but none is a readable rtk-diffusion-bench results file.`,
    };
  }
  const { file, json } = chosen;
  const environment = isObject(json.environment) ? json.environment : {};
  return {
    available: true,
    source: relative(repoRoot, file),
    runId: text(json.runId, '?'),
    suite: text(json.suite, '?'),
    description: text(json.description),
    createdAt: text(json.createdAt, '?'),
    duration: duration(num(json.durationSeconds)),
    environment: Object.entries(environment).map(([key, value]) => ({ key, value: String(value) })),
    samplers: Array.isArray(json.samplers) ? json.samplers.map((s) => String(s)) : [],
    seeds: Array.isArray(json.seeds) ? json.seeds.filter((s): s is number => typeof s === 'number') : [],
    targets: (json.targets as unknown[]).filter(isObject).map(targetView),
  };
}
