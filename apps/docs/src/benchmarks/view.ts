/**
 * What the benchmark pages render: the view types of the main suite's results (see results.ts), the metric names and
 * directions, and the number format every table uses.
 */
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

/** Marginal accuracy at a target's largest NFE, as the guide quotes it (formatted). */
export interface Headline {
  readonly nfe: number;
  readonly floor: string;
  /** The tuned sampler with the best mean, and its mean. */
  readonly best: { readonly sampler: string; readonly value: string };
  /** Each sampler's tuned mean (its default where it has no tuned row), by sampler name. */
  readonly bySampler: Readonly<Record<string, string>>;
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
  /** Marginal accuracy at the largest NFE: the floor, the best tuned sampler, and each sampler on its tuned setting. */
  readonly headline: Headline;
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

/** Formats a value with 3 significant digits (exponent when tiny). */
export function formatValue(value: number): string {
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toPrecision(3);
}
