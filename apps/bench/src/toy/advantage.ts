/**
 * How much of RTK's advantage over DDPM survives a learned score: per NFE and per score (exact, trained MLP), the
 * best tuned RTK sampler against DDPM on the paper's uniform time grid and against DDPM on its best grid.
 */
import { formatMarkdownTable, formatMetric, type MetricValues } from '@rtk-diffusion/cli';
import { cellOf } from '../aggregate.js';
import { RTK_SAMPLERS } from '../candidates.js';
import type { TargetResults } from '../results.js';
import type { ToySuiteConfig } from './config.js';

/** DDPM on the uniform time grid: metrics by NFE. */
export type UniformGridRuns = Readonly<Record<number, MetricValues>>;

/** One row of the advantage table. */
export interface AdvantageRow {
  readonly score: 'exact' | 'mlp';
  readonly nfe: number;
  /** Marginal accuracy of DDPM on the uniform time grid, and tuned (best grid). */
  readonly ddpmUniform: number | undefined;
  readonly ddpmTuned: number | undefined;
  /** The best tuned RTK sampler and its marginal accuracy. */
  readonly rtk: string | undefined;
  readonly rtkValue: number | undefined;
  /** RTK − DDPM (uniform), RTK − DDPM (tuned). */
  readonly overUniform: number | undefined;
  readonly overTuned: number | undefined;
  /** 2-D histogram TV and mode-weight TV of the best RTK sampler and of tuned DDPM (lower is better). */
  readonly tv2d: { readonly rtk?: number; readonly ddpm?: number; readonly ddpmUniform?: number };
  readonly modeWeightTv: { readonly rtk?: number; readonly ddpm?: number; readonly ddpmUniform?: number };
}

const METRIC = 'marginalAccuracy';

function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}

function rowsOf(target: TargetResults, score: 'exact' | 'mlp', uniform: UniformGridRuns): AdvantageRow[] {
  return target.nfes.map((nfe) => {
    let rtk: string | undefined;
    let rtkValue: number | undefined;
    for (const sampler of RTK_SAMPLERS) {
      const value = cellOf(target, sampler, 'tuned', nfe, METRIC).mean;
      if (value !== undefined && (rtkValue === undefined || value > rtkValue))
        [rtk, rtkValue] = [sampler, value];
    }
    const ddpmTuned = cellOf(target, 'ddpm', 'tuned', nfe, METRIC).mean;
    const ddpmUniform = uniform[nfe]?.marginalAccuracy;
    const metric = (name: string) => ({
      ...(rtk === undefined ? {} : { rtk: cellOf(target, rtk, 'tuned', nfe, name).mean }),
      ddpm: cellOf(target, 'ddpm', 'tuned', nfe, name).mean,
      ddpmUniform: (uniform[nfe] as Record<string, number | undefined> | undefined)?.[name],
    });
    return {
      score,
      nfe,
      ddpmUniform,
      ddpmTuned,
      rtk,
      rtkValue,
      overUniform: difference(rtkValue, ddpmUniform),
      overTuned: difference(rtkValue, ddpmTuned),
      tv2d: metric('tv2d'),
      modeWeightTv: metric('modeWeightTv'),
    };
  });
}

/** The rows for both scores (exact target results first, learned second). */
export function advantageRows(
  exact: TargetResults,
  learned: TargetResults,
  uniform: { readonly exact: UniformGridRuns; readonly mlp: UniformGridRuns },
): AdvantageRow[] {
  return [...rowsOf(exact, 'exact', uniform.exact), ...rowsOf(learned, 'mlp', uniform.mlp)];
}

function signed(value: number | undefined): string {
  if (value === undefined) return '—';
  return `${value >= 0 ? '+' : '−'}${formatMetric(Math.abs(value))}`;
}

/** The advantage section of summary.md (also printed at the end of the run). */
export function advantageMarkdown(rows: readonly AdvantageRow[], config: ToySuiteConfig): string {
  const table = formatMarkdownTable(
    [
      'score',
      'NFE',
      'DDPM, uniform time grid',
      'DDPM, best grid',
      'best RTK (tuned)',
      'RTK − DDPM uniform',
      'RTK − DDPM best',
      'tv2d RTK / DDPM best / DDPM uniform',
      'mode-weight TV RTK / DDPM best / DDPM uniform',
    ],
    rows.map((r) => [
      r.score === 'exact' ? 'exact' : 'trained MLP',
      String(r.nfe),
      formatMetric(r.ddpmUniform),
      formatMetric(r.ddpmTuned),
      r.rtk === undefined ? '—' : `${r.rtk} ${formatMetric(r.rtkValue)}`,
      signed(r.overUniform),
      signed(r.overTuned),
      [r.tv2d.rtk, r.tv2d.ddpm, r.tv2d.ddpmUniform].map((v) => formatMetric(v)).join(' / '),
      [r.modeWeightTv.rtk, r.modeWeightTv.ddpm, r.modeWeightTv.ddpmUniform]
        .map((v) => formatMetric(v))
        .join(' / '),
    ]),
  );
  return [
    '# Toy suite: does RTK’s advantage survive a learned score?',
    '',
    `grid-2d (the quick suite’s 5×5 mixture), n = ${config.n} per run, seed 0, tuning on seed 1000 (n = ${config.tuningN}); the`,
    `trained MLP (${config.grid.steps} steps on ${config.trainingRows} exact samples, data space) replaces the exact score with`,
    'the same curvature bound, grids and tuning. Marginal accuracy (higher is better) unless noted; "best RTK" is the best',
    'tuned RTK variant (rtk-mala needs a log-density, so only the exact score has it).',
    '',
    table,
    '',
  ].join('\n');
}
