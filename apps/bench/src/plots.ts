/**
 * Plots of a run as Vega-Lite specs, rendered headless: Vega-Lite → Vega → SVG (vega's `View.toSVG`, no browser,
 * no canvas) → PNG (@resvg/resvg-js, a Rust SVG renderer shipped as a prebuilt npm package). Per target: accuracy
 * against NFE (the paper's Figure 1(a)), histograms of one coordinate against the ground truth (Figure 1(b–f)), and
 * 2-D scatter plots against the ground truth.
 */
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { writeFileAtomic } from '@rtk-diffusion/cli';
import { SAMPLER_NAMES } from '@rtk-diffusion/samplers';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { cellOf } from './aggregate.js';
import { PANEL_LABELS, TRUTH } from './labels.js';
import { PAPER_NUMBERS } from './paper.js';
import type { ResultsFile, ShowcaseTarget, TargetResults } from './results.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const DDPM_DEFAULT = 'ddpm (default)';
const COLORS = {
  domain: [...SAMPLER_NAMES, DDPM_DEFAULT],
  range: [
    '#d62728',
    '#ff9896',
    '#8c564b',
    '#c49c94',
    '#e377c2',
    '#7f7f7f',
    '#9467bd',
    '#1f77b4',
    '#17becf',
    '#2ca02c',
    '#bcbd22',
  ],
};

/** Accuracy against NFE: tuned samplers, DDPM with its default grid dashed, the ground-truth floor as a rule. */
export function accuracySpec(target: TargetResults, samplers: readonly string[]): TopLevelSpec {
  const panel = (metric: 'marginalAccuracy' | 'marginalAccuracyPaper', title: string) => {
    const values = [
      ...samplers.flatMap((sampler) =>
        target.nfes.map((nfe) => ({
          series: sampler,
          nfe,
          value: cellOf(target, sampler, 'tuned', nfe, metric).mean,
        })),
      ),
      ...(samplers.includes('ddpm')
        ? target.nfes.map((nfe) => ({
            series: DDPM_DEFAULT,
            nfe,
            value: cellOf(target, 'ddpm', 'default', nfe, metric).mean,
          }))
        : []),
    ].filter((v) => v.value !== undefined);
    const paper =
      metric === 'marginalAccuracyPaper'
        ? PAPER_NUMBERS.map((p) => ({ series: `paper: ${p.sampler}`, nfe: p.nfe, value: p.value }))
        : [];
    const floor = target.floor[metric];
    const x = {
      field: 'nfe',
      type: 'quantitative',
      title: 'NFE',
      scale: target.paper
        ? { type: 'linear' }
        : {
            type: 'log',
            domain: [Math.min(...target.nfes) * 0.9, Math.max(...target.nfes) * 1.1],
            nice: false,
          },
    } as const;
    return {
      title,
      width: 420,
      height: 300,
      layer: [
        {
          data: { values },
          mark: { type: 'line', point: true, strokeWidth: 2 },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title, scale: { zero: false } },
            color: { field: 'series', type: 'nominal', title: 'sampler (tuned)', scale: COLORS },
            strokeDash: {
              condition: { test: `datum.series === '${DDPM_DEFAULT}'`, value: [6, 4] },
              value: [1, 0],
            },
          },
        },
        ...(paper.length > 0
          ? [
              {
                data: { values: paper },
                mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: 'black' },
                encoding: {
                  x,
                  y: { field: 'value', type: 'quantitative' },
                  tooltip: [{ field: 'series' }, { field: 'value' }],
                },
              },
              {
                data: { values: paper },
                mark: { type: 'text', dx: 6, align: 'left', fontSize: 9 },
                encoding: { x, y: { field: 'value', type: 'quantitative' }, text: { field: 'series' } },
              },
            ]
          : []),
        ...(floor === undefined
          ? []
          : [
              {
                data: { values: [{ floor }] },
                mark: { type: 'rule', strokeDash: [2, 2], color: 'gray' },
                encoding: { y: { field: 'floor', type: 'quantitative' } },
              },
            ]),
      ],
    };
  };
  const panels = target.paper
    ? [
        panel('marginalAccuracy', 'marginal accuracy'),
        panel('marginalAccuracyPaper', "paper's metric (◆ paper's numbers)"),
      ]
    : [panel('marginalAccuracy', 'marginal accuracy')];
  return {
    $schema: SCHEMA,
    title: {
      text: `${target.target}: accuracy vs NFE`,
      subtitle: 'dashed: DDPM on its default grid; dotted: ground-truth floor',
      fontSize: 14,
    },
    background: 'white',
    hconcat: panels,
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

function panelLabels(available: Readonly<Record<string, unknown>>): string[] {
  return PANEL_LABELS.filter((label) => available[label] !== undefined);
}

/** Histograms of one coordinate, one panel per sampler, each over the ground truth (black). */
export function histogramSpec(showcase: ShowcaseTarget): TopLevelSpec {
  const { edges, counts } = showcase.slice;
  const width = (edges[1] ?? 1) - (edges[0] ?? 0);
  const density = (label: string) => {
    const entry = counts[label]!;
    return entry.bins.map((count, b) => ({
      x: (edges[b]! + edges[b + 1]!) / 2,
      density: count / (entry.n * width),
    }));
  };
  const truth = counts[TRUTH] === undefined ? [] : density(TRUTH);
  // Mass outside the plotted range (the reference's, padded) is no bar: say how much there is, per side.
  const outside = (panel: string) => {
    const { n, below = 0, above = 0 } = counts[panel]!;
    const percent = (count: number) => `${((100 * count) / n).toPrecision(2)} %`;
    const parts = [
      ...(below > 0 ? [`${percent(below)} below`] : []),
      ...(above > 0 ? [`${percent(above)} above`] : []),
    ];
    return parts.length === 0
      ? []
      : [{ panel, source: 'outside', label: `outside the axis: ${parts.join(', ')}` }];
  };
  const values = panelLabels(counts).flatMap((panel) => [
    ...density(panel).map((d) => ({ ...d, panel, source: 'sampler' })),
    ...truth.map((d) => ({ ...d, panel, source: TRUTH })),
    ...outside(panel),
  ]);
  return {
    $schema: SCHEMA,
    background: 'white',
    title: {
      text: `${showcase.target}: coordinate ${showcase.slice.dimension + 1} at NFE ${showcase.nfe}`,
      subtitle:
        "black: ground truth; axis: the ground truth's range ± 5 % (red: the share of a sample beyond it)",
      fontSize: 14,
    },
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: panelLabels(counts) },
    columns: 3,
    spec: {
      width: 260,
      height: 150,
      layer: [
        {
          transform: [{ filter: "datum.source === 'sampler'" }],
          mark: { type: 'area', interpolate: 'step', opacity: 0.55, color: '#1f77b4' },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: `x${showcase.slice.dimension + 1}` },
            y: { field: 'density', type: 'quantitative', title: 'density' },
          },
        },
        {
          transform: [{ filter: `datum.source === '${TRUTH}'` }],
          mark: { type: 'line', interpolate: 'step', color: 'black', strokeWidth: 1.2 },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'density', type: 'quantitative' },
          },
        },
        {
          transform: [{ filter: "datum.source === 'outside'" }],
          mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 10, color: '#b22222' },
          encoding: { x: { value: 4 }, y: { value: 4 }, text: { field: 'label' } },
        },
      ],
    },
  } as TopLevelSpec;
}

/** Ground-truth points drawn under each sampler's panel (the ground-truth panel shows all of them). */
const OVERLAY_POINTS = 100;

/** Scatter plots of two coordinates, one panel per sampler, over the ground truth (grey). */
export function scatterSpec(showcase: ShowcaseTarget): TopLevelSpec {
  const { points, dimensions } = showcase.scatter;
  const truth = points[TRUTH] ?? [];
  const toRows = (panel: string, source: string, list: readonly (readonly [number, number])[]) =>
    list.map(([x, y]) => ({ panel, source, x, y }));
  const values = [
    ...toRows(TRUTH, TRUTH, truth),
    ...panelLabels(points).flatMap((panel) => [
      ...toRows(panel, TRUTH, truth.slice(0, OVERLAY_POINTS)),
      ...toRows(panel, 'sampler', points[panel]!),
    ]),
  ];
  return {
    $schema: SCHEMA,
    background: 'white',
    title: {
      text: `${showcase.target}: coordinates ${dimensions[0] + 1}–${dimensions[1] + 1} at NFE ${showcase.nfe}`,
      subtitle: 'grey: ground truth',
      fontSize: 14,
    },
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [TRUTH, ...panelLabels(points)] },
    columns: 4,
    spec: {
      width: 200,
      height: 200,
      mark: { type: 'square', size: 6 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: `x${dimensions[0] + 1}`, scale: { zero: false } },
        y: { field: 'y', type: 'quantitative', title: `x${dimensions[1] + 1}`, scale: { zero: false } },
        color: {
          field: 'source',
          type: 'nominal',
          scale: { domain: [TRUTH, 'sampler'], range: ['#b0b0b0', '#d62728'] },
          legend: null,
        },
        opacity: {
          condition: { test: `datum.source === '${TRUTH}' && datum.panel !== '${TRUTH}'`, value: 0.35 },
          value: 0.7,
        },
        order: { condition: { test: `datum.source === '${TRUTH}'`, value: 0 }, value: 1 },
      },
    },
  } as TopLevelSpec;
}

/**
 * Rounds the coordinates in geometry attributes (`transform`, `d`, `x`, `y`, …) to 0.01 px: vega writes float noise
 * such as 63.279999999999994, which doubles the size of a scatter plot. Text content (axis labels) is untouched.
 */
export function compactSvg(svg: string): string {
  return svg.replace(
    /\s(transform|d|x|y|x1|y1|x2|y2|width|height)="([^"]*)"/g,
    (_, name: string, value: string) => {
      const rounded = value.replace(/-?\d+\.\d{3,}(e-?\d+)?/g, (number) =>
        String(Number(Number(number).toFixed(2))),
      );
      return ` ${name}="${rounded}"`;
    },
  );
}

/** Renders a Vega-Lite spec to SVG text and PNG bytes (PNG at 1.5 times the SVG's size). */
export async function renderSpec(spec: TopLevelSpec): Promise<{ svg: string; png: Uint8Array }> {
  // aria: false drops the per-mark accessibility labels, which would double the size of the scatter SVGs
  const config = { ...((spec as { config?: object }).config ?? {}), aria: false };
  const view = new View(parse(compile({ ...spec, config } as TopLevelSpec).spec), { renderer: 'none' });
  const svg = compactSvg(await view.toSVG());
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 1.5 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return { svg, png };
}

/** Writes every plot of a run to `directory` (SVG and PNG) and returns the PNG file names by target. */
export async function writePlots(
  directory: string,
  results: ResultsFile,
  showcase: readonly ShowcaseTarget[],
): Promise<Record<string, string[]>> {
  const files: Record<string, string[]> = {};
  for (const target of results.targets) {
    const specs: [string, TopLevelSpec][] = [
      [`accuracy-${target.target}`, accuracySpec(target, results.samplers)],
    ];
    const show = showcase.find((s) => s.target === target.target);
    if (show !== undefined && Object.keys(show.slice.counts).length > 1) {
      specs.push(
        [`histogram-${target.target}`, histogramSpec(show)],
        [`scatter-${target.target}`, scatterSpec(show)],
      );
    }
    files[target.target] = [];
    for (const [name, spec] of specs) {
      const { svg, png } = await renderSpec(spec);
      await writeFileAtomic(join(directory, `${name}.svg`), svg);
      await writeFileAtomic(join(directory, `${name}.png`), png);
      files[target.target]!.push(`${name}.png`);
    }
  }
  return files;
}
