/**
 * The speed suite's tables (Markdown for summary.md, text for the terminal) and its plot (ms per run, ours against
 * PyTorch, per size; Vega-Lite rendered headless like the other bench plots).
 */
import { formatMarkdownTable, formatTextTable } from '@rtk-diffusion/cli';
import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../plots.js';
import type { SpeedComparison, SpeedResults } from './speed-results.js';
import { formatNumber, formatTiming } from './stats.js';

const pct = (v: number) => `${formatNumber(100 * v, 2)} %`;
const rate = (v: number | undefined) => (v === undefined ? '—' : formatNumber(v, 3));
const mega = (v: number | undefined) => (v === undefined ? '—' : `${formatNumber(v / 1e6, 3)} M`);

/**
 * The score's place under the peak of what actually ran. Where no tfjs kernel ran (the fused WebAssembly SIMD kernels
 * of `@rtk-diffusion/scores`, which the cpu backend uses too), the backend's own kernels did not compute it, so the
 * fraction is taken of the wasm backend's matMul peak when this run measured it, and is not applicable otherwise.
 */
export function peakShares(
  results: SpeedResults,
  backend: SpeedResults['backends'][number],
  size: SpeedResults['backends'][number]['sizes'][number],
): { ofPeak: string; ofAttainable: string } {
  const fused = size.profile.kernels.length === 0;
  if (!fused || backend.backend === 'wasm') {
    return {
      ofPeak: pct(size.roofline.fractionOfPeak),
      ofAttainable: pct(size.roofline.fractionOfAttainable),
    };
  }
  const wasm = results.backends.find((b) => b.backend === 'wasm')?.peak;
  if (wasm === undefined) return { ofPeak: 'n/a (fused wasm kernel)', ofAttainable: 'n/a' };
  const { achievedGflops, intensity } = size.roofline;
  const attainable = Math.min(wasm.gflops, intensity * wasm.bandwidthGBs);
  return {
    ofPeak: `${pct(achievedGflops / wasm.gflops)} of wasm's`,
    ofAttainable: `${pct(achievedGflops / attainable)} of wasm's`,
  };
}

/** Score evaluation per backend and size: time, rows/s, the other per-step costs, and the roofline. */
export function scoreTable(results: SpeedResults): { header: string[]; rows: string[][] } {
  const header = [
    'backend',
    'n×d×K',
    'ms / score (IQR)',
    'rows/s',
    'ms / log-density',
    'ms / normal draw',
    'GFLOP/s',
    'of peak',
    'bound',
    'of attainable',
    'executed bytes ÷ compulsory',
  ];
  const rows = results.backends.flatMap((b) =>
    b.sizes.map((s) => [
      b.backend,
      s.size,
      formatTiming(s.score),
      mega(s.scoreEvaluationsPerSecond),
      formatNumber(s.logDensity.median),
      formatNumber(s.normal.median),
      formatNumber(s.roofline.achievedGflops),
      peakShares(results, b, s).ofPeak,
      s.roofline.bound,
      peakShares(results, b, s).ofAttainable,
      s.profile.kernels.length === 0
        ? 'fused'
        : formatNumber(s.profile.bytes / s.roofline.compulsoryBytes, 2),
    ]),
  );
  return { header, rows };
}

/** Ours against PyTorch: ms and our time / their time per thread count, and the moment check. */
export function comparisonTable(results: SpeedResults): { header: string[]; rows: string[][] } {
  const threads = results.peer.runs.map((r) => String(r.threads));
  const header = [
    'n×d×K',
    'what',
    'ours ms',
    ...threads.map((t) => `PyTorch ${t}T ms`),
    ...threads.map((t) => `ours ÷ ${t}T`),
    ...threads.map((t) => `fastest ÷ fastest ${t}T`),
    ...(threads.includes('1') ? ['CPU time ÷ 1T CPU time'] : []),
    'same moments',
  ];
  const rows = results.comparisons.map((c) => [
    c.size,
    c.what === 'score' ? 'score (1 evaluation)' : `${c.what} (NFE ${results.settings.nfe})`,
    `${formatNumber(c.oursMs)} (${c.backend})`,
    ...threads.map((t) => formatNumber(c.peerMs[t] ?? Number.NaN)),
    ...threads.map((t) => formatNumber(c.ratio[t] ?? Number.NaN, 2)),
    ...threads.map((t) => formatNumber(fastestRatio(results, c, t), 2)),
    ...(threads.includes('1') ? [formatNumber(c.cpuRatio?.['1'] ?? Number.NaN, 2)] : []),
    c.moments === undefined
      ? '—'
      : `${c.moments.similar ? 'yes' : '**no**'} (max z ${formatNumber(c.moments.maxMeanZ, 2)} / ${formatNumber(c.moments.maxVarianceZ, 2)}, limit ${formatNumber(c.moments.threshold, 2)})`,
  ]);
  return { header, rows };
}

/**
 * Our fastest repeat over the peer's fastest repeat (with `threads` threads) for a comparison row: on a shared machine
 * the fastest repeats are the least disturbed by other jobs, so this ratio is steadier than the ratio of medians.
 */
export function fastestRatio(results: SpeedResults, row: SpeedComparison, threads: string): number {
  const ours = results.backends
    .find((b) => b.backend === row.backend)
    ?.sizes.find((s) => s.size === row.size);
  const peer = results.peer.runs
    .find((r) => String(r.threads) === threads)
    ?.sizes.find((s) => s.size === row.size);
  if (ours === undefined || peer === undefined) return Number.NaN;
  const mine = row.what === 'score' ? ours.score : ours.samplers.find((t) => t.sampler === row.what)?.ms;
  const theirs = row.what === 'score' ? peer.score : peer.samplers.find((t) => t.sampler === row.what)?.ms;
  return mine === undefined || theirs === undefined ? Number.NaN : mine.min / theirs.min;
}

/** Samplers on one backend: ms per run (IQR) and samples/s per size. */
function samplerTable(results: SpeedResults, backend: SpeedResults['backends'][number]): string {
  const header = ['sampler', ...backend.sizes.flatMap((s) => [`${s.size} ms (IQR)`, 'samples/s', 'evals/s'])];
  const rows = results.settings.samplers.map((name) => [
    name,
    ...backend.sizes.flatMap((s) => {
      const t = s.samplers.find((r) => r.sampler === name);
      if (t === undefined || t.ms === undefined)
        return [t?.status === 'error' ? 'error' : 'skipped', '—', '—'];
      return [formatTiming(t.ms), rate(t.samplesPerSecond), mega(t.scoreEvaluationsPerSecond)];
    }),
  ]);
  return formatMarkdownTable(header, rows);
}

/** The whole summary.md of a speed run. */
export function speedSummaryMarkdown(results: SpeedResults, plots: readonly string[]): string {
  const { settings, environment, load } = results;
  const lines: string[] = [
    `# Speed suite: ${results.runId}`,
    '',
    `${results.createdAt}, ${results.durationSeconds} s; ${environment.cpu} × ${environment.cpus}, Node ${environment.node}, tfjs ${environment.tfjs}, commit ${environment.commit ?? '?'}${environment.uncommitted ? ` (the build also had uncommitted changes to ${environment.uncommitted})` : ''}; dist built at ${environment.builds ?? '?'}.`,
    `Load averages (1, 5, 15 min): ${load.before.join(', ')} before, ${load.after.join(', ')} after (the machine is shared with other jobs).`,
    `Isotropic mixtures (equal weights, means 2·N(0, I), variances 0.05 + 0.01 i), score at a = ${settings.level}, samplers at NFE ${settings.nfe} with their default settings; median and interquartile range of ${settings.scoreRepeats} score evaluations / ${settings.samplerRepeats} sampler runs after one warm-up.`,
    '',
    '## Peak of each backend',
    '',
    `GFLOP/s and GB/s of the ${settings.peakStatistic ?? 'fastest'} repeat${settings.peakStatistic === 'median' ? ', the statistic of the score times placed under them' : ' (the score times below are medians)'}. A score computed by the fused WebAssembly kernels on another backend (no tfjs kernel ran) is placed under the wasm peak of the same run, or marked n/a.`,
    '',
    formatMarkdownTable(
      ['backend', 'matMul GFLOP/s', 'element-wise GB/s', 'ridge (flop/byte)', 'note'],
      [
        ...results.backends.map((b) =>
          b.peak === undefined
            ? [b.backend, '—', '—', '—', b.message ?? '']
            : [
                b.backend,
                formatNumber(b.peak.gflops),
                formatNumber(b.peak.bandwidthGBs),
                formatNumber(b.peak.gflops / b.peak.bandwidthGBs, 2),
                `${b.peak.matmulSize}² matMul, ${b.peak.addElements} element add${b.simd ? ', SIMD' : ''}${b.threads === undefined ? '' : `, ${b.threads} thread(s)`}`,
              ],
        ),
        ...results.peer.runs.map((r) => [
          `PyTorch ${results.peer.torch ?? ''} ${r.threads}T`,
          formatNumber(r.gflops),
          formatNumber(r.bandwidthGBs),
          formatNumber(r.gflops / r.bandwidthGBs, 2),
          'same sizes',
        ]),
      ],
    ),
    '',
    '## Score evaluation and the floor',
    '',
    'F = n (4dK + 4d + 11K) flops, compulsory bytes Q = 4 (2nd + dK + 3K); "bound" compares F/Q with the ridge; "of attainable" is our GFLOP/s over min(peak, F/Q × bandwidth); the last column is the traffic of the executed (unfused) kernels over Q.',
    '',
    formatMarkdownTable(scoreTable(results).header, scoreTable(results).rows),
    '',
    'Where the time goes (tf.profile of one evaluation, kernel time by kernel name):',
    '',
    formatMarkdownTable(
      ['backend', 'n×d×K', 'kernels (share of kernel time)'],
      results.backends.flatMap((b) =>
        b.sizes.map((s) => [
          b.backend,
          s.size,
          s.profile.kernels.length === 0
            ? 'no tfjs kernel: the model computes the score in its own fused kernel'
            : s.profile.kernels
                .slice(0, 5)
                .map((k) => `${k.name} ${pct(k.share)}`)
                .join(', '),
        ]),
      ),
    ),
    '',
    'The dominant product [n, d] × [d, K] alone:',
    '',
    formatMarkdownTable(
      ['backend', 'n×d×K', 'ms', 'GFLOP/s'],
      results.backends.flatMap((b) =>
        b.sizes.map((s) => [
          b.backend,
          s.size,
          formatTiming(s.shapeProduct),
          formatNumber((2 * s.n * s.d * s.k) / (s.shapeProduct.median * 1e6)),
        ]),
      ),
    ),
    '',
    '## Samplers',
    '',
  ];
  for (const b of results.backends) {
    lines.push(`### ${b.backend}`, '');
    if (b.status === 'skipped') {
      lines.push(b.message ?? 'skipped', '');
      continue;
    }
    lines.push(samplerTable(results, b), '');
    const skipped = b.sizes.flatMap((s) =>
      s.samplers.filter((t) => t.status !== 'ok').map((t) => `${s.size} ${t.sampler}: ${t.message}`),
    );
    if (skipped.length > 0)
      lines.push(`Not run: ${[...new Set(skipped.map((m) => m.replace(/^\S+ \S+: /, '')))].join('; ')}.`, '');
  }
  lines.push('## Ours against PyTorch (CPU)', '');
  if (results.peer.status !== 'ok') lines.push(`The peer did not run: ${results.peer.message}.`, '');
  if (results.comparisons.length > 0) {
    const table = comparisonTable(results);
    lines.push(
      formatMarkdownTable(table.header, table.rows),
      '',
      '"same moments": the largest z-score over coordinates of the difference of per-coordinate means / log variances between our samples and the peer\'s, against the Bonferroni limit for family-wise level 0.001.',
      '',
    );
  }
  for (const plot of plots) lines.push(`![${plot}](${plot})`, '');
  return `${lines.join('\n')}\n`;
}

/** The terminal summary: score table and ours against PyTorch. */
export function speedSummaryText(results: SpeedResults): string {
  const score = scoreTable(results);
  const parts = [formatTextTable(score.header, score.rows)];
  if (results.comparisons.length > 0) {
    const table = comparisonTable(results);
    parts.push(
      formatTextTable(
        table.header,
        table.rows.map((r) => r.map((c) => c.replace(/\*\*/g, ''))),
      ),
    );
  } else {
    parts.push(`PyTorch peer: ${results.peer.message ?? 'no comparison'}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/** Milliseconds per run of the peer's samplers and of one score: ours per backend against PyTorch per thread count. */
export function speedPlotSpec(results: SpeedResults): TopLevelSpec | undefined {
  const values: { size: string; what: string; who: string; ms: number }[] = [];
  for (const c of results.comparisons) {
    values.push({ size: c.size, what: c.what, who: `ours (${c.backend})`, ms: c.oursMs });
    for (const [t, ms] of Object.entries(c.peerMs))
      values.push({ size: c.size, what: c.what, who: `PyTorch ${t}T`, ms });
  }
  if (values.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    facet: { column: { field: 'size', type: 'nominal', title: 'n × d × K' } },
    spec: {
      width: 220,
      height: 220,
      mark: { type: 'point', filled: true, size: 90 },
      encoding: {
        x: { field: 'what', type: 'nominal', title: null },
        xOffset: { field: 'who' },
        y: {
          field: 'ms',
          type: 'quantitative',
          scale: { type: 'log' },
          title: `ms (score: 1 evaluation; samplers: NFE ${results.settings.nfe})`,
        },
        color: { field: 'who', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** Renders {@link speedPlotSpec} (undefined when there is nothing to compare). */
export async function renderSpeedPlot(
  results: SpeedResults,
): Promise<{ svg: string; png: Uint8Array } | undefined> {
  const spec = speedPlotSpec(results);
  return spec === undefined ? undefined : renderSpec(spec);
}
