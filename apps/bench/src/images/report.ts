/**
 * The image suite's results file (`results.json`, schema `rtk-diffusion-bench-images/1`), its FID-vs-NFE plot
 * (Vega-Lite → SVG → PNG through plots.ts) and summary.md.
 */
import { join } from 'node:path';
import { formatMarkdownTable, formatTextTable, type RunSettings, writeFileAtomic } from '@rtk-diffusion/cli';
import type { TopLevelSpec } from 'vega-lite';
import { formatDuration } from '../aggregate.js';
import { renderSpec } from '../plots.js';
import type { ClassifierRecipe, ScoreRecipe } from './models.js';

/** Schema version of the image suite's results.json. */
export const IMAGE_RESULTS_SCHEMA = 'rtk-diffusion-bench-images/1';

/** One reported run. */
export interface ImageRun {
  readonly sampler: string;
  readonly setting: 'default' | 'tuned';
  readonly label: string;
  readonly settings: RunSettings;
  readonly nfe: number;
  readonly seed: number;
  readonly n: number;
  readonly nfeUsed?: number;
  readonly seconds?: number;
  /** Fréchet distance of classifier features against the held-out digits (lower is better). */
  readonly fid?: number;
  readonly summary?: Readonly<Record<string, number | string>>;
  readonly error?: { readonly code: string; readonly message: string };
}

/** The tuning of one sampler at one NFE (lowest FID on the tuning seed wins). */
export interface ImageTuning {
  readonly sampler: string;
  readonly nfe: number;
  readonly seed: number;
  readonly n: number;
  readonly chosen: string;
  readonly candidates: readonly {
    readonly label: string;
    readonly settings: RunSettings;
    readonly stage: number;
    readonly fid?: number;
    readonly error?: { readonly code: string; readonly message: string };
  }[];
}

/** FID of real training digits against the reference: what a perfect sampler scores at this n. */
export interface FidFloor {
  readonly fid: number;
  /** Spread over replicates (disjoint sets of real digits). */
  readonly sd: number;
  readonly replicates: number;
}

/** The whole results.json of an image run. */
export interface ImageResults {
  readonly schema: typeof IMAGE_RESULTS_SCHEMA;
  readonly runId: string;
  readonly suite: string;
  readonly description: string;
  readonly createdAt: string;
  readonly durationSeconds: number;
  readonly environment: Readonly<Record<string, string | number | boolean | null>>;
  readonly samplers: readonly string[];
  readonly nfes: readonly number[];
  readonly n: number;
  readonly tuningN: number;
  readonly seed: number;
  readonly tuningSeed: number;
  readonly referenceN: number;
  readonly gridNfe: number;
  readonly networks: {
    readonly score: { readonly recipe: ScoreRecipe; readonly trainedSecondsThisRun: number };
    readonly classifier: {
      readonly recipe: ClassifierRecipe;
      readonly heldOutAccuracy: number;
      readonly trainedSecondsThisRun: number;
    };
  };
  readonly floor: FidFloor;
  readonly tuningFloor: FidFloor;
  readonly runs: readonly ImageRun[];
  readonly tuning: readonly ImageTuning[];
  /** Grid PNG file by label (`ddpm (tuned)`, `held-out digits`). */
  readonly grids: Readonly<Record<string, string>>;
}

/** The FID of a sampler's run with a setting at an NFE, if it ran. */
export function fidOf(
  results: ImageResults,
  sampler: string,
  setting: 'default' | 'tuned',
  nfe: number,
): ImageRun | undefined {
  return results.runs.find((r) => r.sampler === sampler && r.setting === setting && r.nfe === nfe);
}

function format(run: ImageRun | undefined): string {
  if (run?.fid === undefined) return '—';
  return run.fid >= 100 ? run.fid.toFixed(0) : run.fid.toPrecision(3);
}

/** Sampler × NFE table of FID for one setting (the best per column marked). */
export function fidTable(
  results: ImageResults,
  setting: 'default' | 'tuned',
  style: 'markdown' | 'text',
): string {
  const header = ['sampler', ...results.nfes.map((nfe) => `NFE ${nfe}`)];
  const best = results.nfes.map((nfe) =>
    Math.min(
      ...results.samplers.map((s) => fidOf(results, s, setting, nfe)?.fid ?? Number.POSITIVE_INFINITY),
    ),
  );
  const rows = results.samplers.map((sampler) => [
    sampler,
    ...results.nfes.map((nfe, k) => {
      const run = fidOf(results, sampler, setting, nfe);
      const text = format(run);
      if (run?.fid === undefined || run.fid !== best[k]) return text;
      return style === 'markdown' ? `**${text}**` : `${text}*`;
    }),
  ]);
  return style === 'markdown' ? formatMarkdownTable(header, rows) : formatTextTable(header, rows);
}

/** FID against NFE: tuned solid, default dashed, the real-digit floor dotted. */
export function fidSpec(results: ImageResults): TopLevelSpec {
  const values = results.runs
    .filter((r) => r.fid !== undefined)
    .map((r) => ({ sampler: r.sampler, setting: r.setting, nfe: r.nfe, fid: r.fid }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title: {
      text: `MNIST: FID (classifier features) vs NFE, ${results.n} images per run`,
      subtitle: 'solid: tuned on a separate seed; dashed: default settings; dotted: real digits (floor)',
      fontSize: 14,
    },
    width: 460,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: {
            field: 'nfe',
            type: 'quantitative',
            title: 'NFE',
            scale: {
              type: 'log',
              domain: [Math.min(...results.nfes) * 0.9, Math.max(...results.nfes) * 1.1],
              nice: false,
            },
          },
          y: { field: 'fid', type: 'quantitative', title: 'FID (lower is better)', scale: { type: 'log' } },
          color: { field: 'sampler', type: 'nominal', sort: [...results.samplers] },
          strokeDash: {
            field: 'setting',
            type: 'nominal',
            scale: {
              domain: ['tuned', 'default'],
              range: [
                [1, 0],
                [6, 4],
              ],
            },
          },
          detail: { field: 'setting' },
        },
      },
      {
        data: { values: [{ floor: results.floor.fid }] },
        mark: { type: 'rule', strokeDash: [2, 2], color: 'gray' },
        encoding: { y: { field: 'floor', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

function settingsTable(results: ImageResults): string {
  const rows = results.samplers.map((sampler) => [
    sampler,
    results.runs.find((r) => r.sampler === sampler && r.setting === 'default')?.label ?? '',
    ...results.nfes.map((nfe) => fidOf(results, sampler, 'tuned', nfe)?.label ?? '—'),
  ]);
  return formatMarkdownTable(['sampler', 'default', ...results.nfes.map((nfe) => `tuned, NFE ${nfe}`)], rows);
}

function speedTable(results: ImageResults): string {
  const rows = results.samplers.map((sampler) => [
    sampler,
    ...results.nfes.map((nfe) => {
      const run = fidOf(results, sampler, 'tuned', nfe);
      return run?.seconds === undefined ? '—' : `${run.seconds.toFixed(1)} s`;
    }),
  ]);
  return formatMarkdownTable(['sampler', ...results.nfes.map((nfe) => `NFE ${nfe}`)], rows);
}

/** The text printed at the end of the run. */
export function imageSummaryText(results: ImageResults): string {
  return [
    `MNIST FID (classifier features, lower is better), tuned, ${results.n} images per run, * = best per NFE; real digits ${results.floor.fid.toPrecision(3)} ± ${results.floor.sd}`,
    fidTable(results, 'tuned', 'text'),
    '',
  ].join('\n');
}

/** summary.md of an image run. */
export function imageSummaryMarkdown(results: ImageResults, plot: string): string {
  const env = results.environment;
  const score = results.networks.score.recipe;
  const grids = Object.entries(results.grids);
  return [
    `# Benchmark ${results.runId} (${results.suite} suite)`,
    '',
    `${results.description}. Run ${results.createdAt.slice(0, 16).replace('T', ' ')} UTC in ${formatDuration(results.durationSeconds)} on ` +
      `${env.cpus} × ${env.cpu} (${env.backend} backend, ${env.workers} worker(s), load average ${env.loadAverage} at the start), commit ${env.commit ?? 'unknown'}.`,
    `Score network: ${JSON.stringify(score.architecture)}, ε head, ${score.steps} steps of batch ${score.batchSize} ` +
      `(seed ${score.seed}); FID classifier: ${results.networks.classifier.recipe.steps} steps, held-out accuracy ` +
      `${(100 * results.networks.classifier.heldOutAccuracy).toFixed(1)} %. RTK samplers use the curvature bound ` +
      'L(a) = 1/(1 − a), which holds for every data distribution.',
    '',
    `FID here is the Fréchet distance of the classifier's 64 features (not Inception FID; packages/scores/NEURAL.md). Floor: ` +
      `real training digits against the same ${results.referenceN} held-out digits, ${results.floor.fid.toPrecision(3)} ± ${results.floor.sd} ` +
      `at n = ${results.n} (${results.tuningFloor.fid.toPrecision(3)} at the tuning size ${results.tuningN}). "—": the budget is below the ` +
      "sampler's minimum with every setting tried. **Bold**: best in its column.",
    '',
    `## FID, each sampler on its best setting per NFE (tuned on seed ${results.tuningSeed}, ${results.tuningN} images)`,
    '',
    fidTable(results, 'tuned', 'markdown'),
    '',
    '## FID, default settings',
    '',
    fidTable(results, 'default', 'markdown'),
    '',
    '## Settings: default, and the winner of the tuning per NFE',
    '',
    settingsTable(results),
    '',
    `## Sampling time per run (tuned, ${results.n} images)`,
    '',
    speedTable(results),
    '',
    `![FID vs NFE](${plot})`,
    '',
    `## Samples at NFE ${results.gridNfe} (first ${results.runs.length > 0 ? '64' : '0'} images of seed ${results.seed})`,
    '',
    ...grids.map(([label, file]) => `**${label}**\n\n![${label}](${file})\n`),
  ].join('\n');
}

/** Writes results.json, the FID plot and summary.md to `directory`; returns the text summary. */
export async function writeImageReport(directory: string, results: ImageResults): Promise<string> {
  await writeFileAtomic(join(directory, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  const { svg, png } = await renderSpec(fidSpec(results));
  await writeFileAtomic(join(directory, 'fid.svg'), svg);
  await writeFileAtomic(join(directory, 'fid.png'), png);
  await writeFileAtomic(join(directory, 'summary.md'), imageSummaryMarkdown(results, 'fid.png'));
  return imageSummaryText(results);
}
