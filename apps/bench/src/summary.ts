/**
 * `summary.md` of a run, and the shorter text printed at the end of `pnpm bench`: per target a table of marginal
 * accuracy (rows samplers, columns NFE, best per column marked), tuned and default, the paper's numbers beside ours on
 * the paper target, the settings that won, other metrics, speed, and the verdict of RTK-MALA / RTK-ULD against DDPM.
 */
import {
  formatMarkdownTable,
  formatMetric,
  formatMetricTable,
  METRICS,
  type MetricName,
} from '@rtk-diffusion/cli';
import { cellOf, formatDuration, runsOf, type Verdict, verdicts } from './aggregate.js';
import { paperNumber } from './paper.js';
import type { ResultsFile, TargetResults } from './results.js';

const HEADLINE: MetricName = 'marginalAccuracy';

function table(
  target: TargetResults,
  samplers: readonly string[],
  setting: 'default' | 'tuned',
  metric: MetricName,
  format: 'text' | 'markdown',
): string {
  const rows = samplers.map((sampler) => ({
    label: sampler,
    values: target.nfes.map((nfe) => cellOf(target, sampler, setting, nfe, metric).mean),
  }));
  return formatMetricTable(metric, target.nfes.map(String), rows, format, 'sampler \\ NFE');
}

function verdictWords(list: readonly Verdict[]): string {
  const word = { better: 'beats', worse: 'loses to', tie: 'ties', 'n/a': 'n/a' } as const;
  return list
    .map((v) =>
      v.difference === undefined
        ? `NFE ${v.nfe}: n/a`
        : `NFE ${v.nfe}: ${word[v.outcome]} (${formatMetric(v.ours)} vs ${formatMetric(v.theirs)}, Δ ${v.difference >= 0 ? '+' : ''}${v.difference.toFixed(3)} ± ${(2 * v.standardError).toFixed(3)})`,
    )
    .join('; ');
}

/** The verdict lines of a target: RTK-MALA and RTK-ULD (tuned) against DDPM (tuned, and default on the paper target). */
export function verdictLines(target: TargetResults, samplers: readonly string[]): string[] {
  const lines: string[] = [];
  for (const rtk of ['rtk-mala', 'rtk-uld']) {
    if (!samplers.includes(rtk) || !samplers.includes('ddpm')) continue;
    lines.push(
      `${rtk} vs ddpm (both tuned): ${verdictWords(verdicts(target, { sampler: rtk, setting: 'tuned' }, { sampler: 'ddpm', setting: 'tuned' }))}`,
    );
    if (target.paper) {
      lines.push(
        `${rtk} vs ddpm on the paper's uniform time grid: ${verdictWords(verdicts(target, { sampler: rtk, setting: 'tuned' }, { sampler: 'ddpm', setting: 'default' }))}`,
      );
    }
  }
  return lines;
}

function paperTable(target: TargetResults, samplers: readonly string[]): string {
  const nfes = [105, 505].filter((nfe) => target.nfes.includes(nfe));
  const header = [
    'sampler',
    ...nfes.flatMap((nfe) => [`ours, NFE ${nfe} (default)`, `ours, NFE ${nfe} (tuned)`, `paper, NFE ${nfe}`]),
  ];
  const rows = samplers.map((sampler) => [
    sampler,
    ...nfes.flatMap((nfe) => {
      const paper = paperNumber(sampler, nfe);
      return [
        formatMetric(cellOf(target, sampler, 'default', nfe, 'marginalAccuracyPaper').mean),
        formatMetric(cellOf(target, sampler, 'tuned', nfe, 'marginalAccuracyPaper').mean),
        paper === undefined ? '' : `${paper.approximate ? '≈ ' : ''}${paper.value.toFixed(3)}`,
      ];
    }),
  ]);
  return formatMarkdownTable(header, rows);
}

function settingsTable(target: TargetResults, samplers: readonly string[]): string {
  const rows = samplers.map((sampler) => [
    sampler,
    runsOf(target, sampler, 'default', target.nfes[0]!)[0]?.label ?? '',
    ...target.nfes.map(
      (nfe) => target.tuning.find((t) => t.sampler === sampler && t.nfe === nfe)?.chosen ?? '—',
    ),
  ]);
  return formatMarkdownTable(
    ['sampler', 'default setting', ...target.nfes.map((nfe) => `tuned @ ${nfe}`)],
    rows,
  );
}

function otherMetricsTable(target: TargetResults, samplers: readonly string[]): string {
  const metrics = (Object.keys(METRICS) as MetricName[]).filter((m) => target.floor[m] !== undefined);
  const nfe = target.showcaseNfe;
  const rows = [
    ['ground truth (floor)', ...metrics.map((m) => formatMetric(target.floor[m]))],
    ...samplers.map((sampler) => [
      sampler,
      ...metrics.map((m) => formatMetric(cellOf(target, sampler, 'tuned', nfe, m).mean)),
    ]),
  ];
  return formatMarkdownTable(
    [
      'sampler (tuned)',
      ...metrics.map((m) => `${METRICS[m].title} ${METRICS[m].higherIsBetter ? '↑' : '↓'}`),
    ],
    rows,
  );
}

function speedTable(target: TargetResults, samplers: readonly string[]): string {
  const nfe = target.nfes.at(-1)!;
  const rows = samplers.map((sampler) => {
    const runs = runsOf(target, sampler, 'tuned', nfe).filter((r) => r.seconds !== undefined);
    const seconds = runs.length === 0 ? undefined : runs.reduce((s, r) => s + r.seconds!, 0) / runs.length;
    const rate =
      runs.length === 0 ? undefined : runs.reduce((s, r) => s + r.evaluationsPerSecond!, 0) / runs.length;
    return [
      sampler,
      seconds === undefined ? '—' : seconds.toFixed(2),
      rate === undefined ? '—' : (rate / 1e6).toFixed(2),
    ];
  });
  return formatMarkdownTable(
    [
      'sampler (tuned)',
      `wall time at NFE ${nfe} (s)`,
      'score evaluations per second (millions of rows × NFE / s)',
    ],
    rows,
  );
}

/** The `summary.md` of a run; `plots` maps a target to the image files shown under it. */
export function summaryMarkdown(
  results: ResultsFile,
  plots: Readonly<Record<string, readonly string[]>> = {},
): string {
  const env = results.environment;
  const lines: string[] = [
    `# Benchmark ${results.runId} (${results.suite} suite)`,
    '',
    `${results.description}. Run ${results.createdAt.slice(0, 16).replace('T', ' ')} UTC in ${formatDuration(results.durationSeconds)} ` +
      `on ${env.cpus} × ${env.cpu} (${env.backend} backend, ${env.workers} worker(s)), Node ${env.node}, commit ${env.commit ?? 'unknown'}.`,
    `Reported seeds ${results.seeds.join(', ')}; tuning on seed ${results.tuningSeed}${results.tuningReferenceSeed === undefined ? '' : ` against its own ground-truth reference (seed ${results.tuningReferenceSeed})`}; ` +
      `every reported run is scored against one ground-truth reference per target (seed ${results.referenceSeed}). NFE counts every score and log-density evaluation. ` +
      `**Bold**: best in its column. "—": the budget is below the sampler's minimum with that setting.`,
    '',
    '## Do RTK-MALA and RTK-ULD beat DDPM at equal NFE?',
    '',
    'Marginal accuracy (1 − mean per-coordinate TV, higher is better); "beats"/"loses to" when the difference exceeds two',
    'standard errors of the metric\'s noise at this sample size, else "ties".',
    '',
  ];
  for (const target of results.targets) {
    lines.push(
      `- **${target.target}**:`,
      ...verdictLines(target, results.samplers).map((line) => `  - ${line}`),
    );
  }
  for (const target of results.targets) {
    lines.push(
      '',
      `## ${target.target}: ${target.title}`,
      '',
      `${target.description}. n = ${target.n} samples per run (tuning: ${target.tuningN}); ground-truth floor of the marginal ` +
        `accuracy ${formatMetric(target.floor.marginalAccuracy)} (noise σ = ${formatMetric(target.noise.marginalAccuracy)}).`,
      '',
      '### Marginal accuracy, each sampler on its best setting per NFE (tuned on a separate seed)',
      '',
      table(target, results.samplers, 'tuned', HEADLINE, 'markdown'),
      '',
      `### Marginal accuracy, default settings${target.paper ? " (the paper's setup: DDPM on a uniform time grid, RTK with 5 segments)" : ''}`,
      '',
      table(target, results.samplers, 'default', HEADLINE, 'markdown'),
    );
    if (target.paper && (target.nfes.includes(105) || target.nfes.includes(505))) {
      lines.push(
        '',
        "### The paper's metric, ours beside the paper's numbers",
        '',
        "Paper metric: 200 bins on [−5, 5], TV halved once more (ALGORITHMS.md §7). The paper's NFE does not count MALA's",
        'log-density evaluations or the warm start; ours does, so at equal NFE our RTK-MALA takes fewer inner steps. "≈": levelling-off values.',
        '',
        paperTable(target, results.samplers),
      );
    }
    lines.push(
      '',
      '### Settings: default, and the winner of the tuning per NFE',
      '',
      settingsTable(target, results.samplers),
      '',
      `### Every metric at NFE ${target.showcaseNfe} (tuned)`,
      '',
      otherMetricsTable(target, results.samplers),
      '',
      '### Speed',
      '',
      speedTable(target, results.samplers),
    );
    const images = plots[target.target] ?? [];
    if (images.length > 0) lines.push('', ...images.map((file) => `![${file}](${file})`));
  }
  return `${lines.join('\n')}\n`;
}

/** The text printed at the end of `pnpm bench`: the tuned table and the verdicts per target. */
export function summaryText(results: ResultsFile): string {
  const parts = results.targets.map((target) =>
    [
      `${target.target} (d = ${target.dim}, n = ${target.n}): marginal accuracy, tuned, * = best per NFE column; floor ${formatMetric(target.floor.marginalAccuracy)}`,
      table(target, results.samplers, 'tuned', HEADLINE, 'text'),
      ...verdictLines(target, results.samplers),
    ].join('\n'),
  );
  return `${parts.join('\n\n')}\n`;
}
