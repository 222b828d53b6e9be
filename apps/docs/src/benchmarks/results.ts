/**
 * Reading the latest committed benchmark results (`results/<run-id>/results.json`, written by `pnpm bench`; schema
 * `rtk-diffusion-bench/1`, documented in apps/bench/README.md) into what the benchmark page shows: per target, a table
 * per metric (mean ± sd over seeds, by sampler setting and NFE), the curves for the charts, failures and speed.
 * Everything is checked defensively, so a missing or foreign file gives a page that says so instead of a failed build.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** How the page names a metric and which way is better. */
export const METRIC_INFO: Readonly<
  Record<string, { readonly title: string; readonly higherIsBetter: boolean }>
> = {
  marginalAccuracy: { title: 'Marginal accuracy', higherIsBetter: true },
  marginalAccuracyPaper: { title: "Marginal accuracy (the paper's variant)", higherIsBetter: true },
  slicedW2: { title: 'Sliced Wasserstein-2', higherIsBetter: false },
  mmd: { title: 'MMD²', higherIsBetter: false },
  energy: { title: 'Energy distance', higherIsBetter: false },
  tv2d: { title: '2-D histogram TV', higherIsBetter: false },
  modeWeightTv: { title: 'Mode-weight TV', higherIsBetter: false },
  frechet: { title: 'Fréchet distance', higherIsBetter: false },
};

/** One curve of a chart. */
export interface SeriesView {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** A metric's table and chart on one target. */
export interface MetricView {
  readonly metric: string;
  readonly title: string;
  readonly higherIsBetter: boolean;
  /** Ground-truth floor (an independent exact sample) and its noise (sd over exact samples). */
  readonly floor: string;
  readonly noise: string;
  readonly nfes: readonly number[];
  /** One row per run label; cells are `mean ± sd` (sd over seeds) or `–`; `best` marks the best mean per column. */
  readonly rows: readonly {
    readonly label: string;
    readonly cells: readonly string[];
    readonly best: readonly boolean[];
  }[];
  readonly series: readonly SeriesView[];
}

/** One target of the run. */
export interface TargetView {
  readonly target: string;
  readonly title: string;
  readonly description: string;
  readonly dim: number;
  readonly components: number;
  readonly paper: boolean;
  readonly n: number;
  readonly seeds: number;
  readonly metrics: readonly MetricView[];
  /** Every metric at one budget (the showcase NFE, else the largest): rows as in `metrics`, one column per metric. */
  readonly atNfe: {
    readonly nfe: number;
    readonly columns: readonly {
      readonly metric: string;
      readonly title: string;
      readonly higherIsBetter: boolean;
    }[];
    readonly rows: readonly {
      readonly label: string;
      readonly cells: readonly string[];
      readonly best: readonly boolean[];
    }[];
  };
  readonly failures: readonly string[];
  /** Median score-model evaluations per second on the batch, by label. */
  readonly speed: readonly { readonly label: string; readonly nfePerSecond: string }[];
}

/** What the benchmark page renders. */
export type BenchView =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      readonly source: string;
      readonly runId: string;
      readonly suite: string;
      readonly description: string;
      readonly createdAt: string;
      readonly duration: string;
      readonly environment: readonly { readonly key: string; readonly value: string }[];
      readonly samplers: readonly string[];
      readonly seeds: readonly number[];
      readonly targets: readonly TargetView[];
    };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Formats a value with 3 significant digits (exponent when tiny). */
export function formatValue(value: number): string {
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toPrecision(3);
}

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

/** Every `results.json` under `dir/<run>/` (one level). */
function resultFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.endsWith('.partial'))
    .map((name) => join(dir, name, 'results.json'))
    .filter((file) => existsSync(file) && statSync(file).isFile());
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
 * The latest results (by `createdAt`; runs of the main suites `quick` and `full` before any other suite, such as
 * `toy`) among `results/<run>/results.json` and `apps/bench/results/<run>/results.json`
 * under `repoRoot` (or in the given `directories`), summarised; `{ available: false, reason }` when there are none or
 * they cannot be read.
 */
export function loadLatestResults(repoRoot: string, directories?: readonly string[]): BenchView {
  const searched = directories ?? [join(repoRoot, 'results'), join(repoRoot, 'apps', 'bench', 'results')];
  const files = searched.flatMap(resultFiles);
  if (files.length === 0) {
    return { available: false, reason: 'No benchmark results are committed yet.' };
  }
  const parsed = files.flatMap((file) => {
    try {
      const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return isObject(json) &&
        text(json.schema).startsWith('rtk-diffusion-bench/') &&
        Array.isArray(json.targets)
        ? [{ file, json }]
        : [];
    } catch {
      return [];
    }
  });
  if (parsed.length === 0) {
    return {
      available: false,
      reason: `Found ${files.length} results file(s), but none is a readable rtk-diffusion-bench results file.`,
    };
  }
  const main = (json: Json): number => (MAIN_SUITES.includes(text(json.suite)) ? 1 : 0);
  parsed.sort(
    (a, b) =>
      main(b.json) - main(a.json) ||
      text(b.json.createdAt).localeCompare(text(a.json.createdAt)) ||
      b.file.localeCompare(a.file),
  );
  const { file, json } = parsed[0]!;
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
