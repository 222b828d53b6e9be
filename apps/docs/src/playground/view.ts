/**
 * The playground's page elements: the controls, the progress bar and status line, the scatter canvas and the metrics
 * table, built once into the root. ui.ts wires them to the worker; nothing here computes.
 */
import type { PlaygroundMetrics } from './protocol.js';
import { PLAYGROUND_TARGETS } from './targets.js';

/** What the metrics table shows for each metric. */
export const METRIC_ROWS: readonly {
  key: keyof PlaygroundMetrics;
  label: string;
  better: 'higher' | 'lower';
}[] = [
  { key: 'marginalAccuracy', label: 'Marginal accuracy', better: 'higher' },
  { key: 'histogramTv', label: '2-D histogram TV', better: 'lower' },
  { key: 'modeWeightTv', label: 'Mode-weight TV', better: 'lower' },
  { key: 'mmd', label: 'MMD²', better: 'lower' },
  { key: 'energy', label: 'Energy distance', better: 'lower' },
  { key: 'slicedW2', label: 'Sliced W₂', better: 'lower' },
];

const SAMPLE_SIZES = [200, 500, 1000, 2000] as const;

/** Formats a metric value compactly (3 significant digits, exponent for tiny values). */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toPrecision(3);
}

/** Creates an element with attributes and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A control with its label. */
function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  return element('label', { class: 'pg-field' }, [element('span', {}, [text]), control]);
}

/** The page's elements that ui.ts reads or updates. */
export interface PlaygroundView {
  readonly targetSelect: HTMLSelectElement;
  readonly samplerSelect: HTMLSelectElement;
  readonly nfeInput: HTMLInputElement;
  readonly sizeSelect: HTMLSelectElement;
  readonly seedInput: HTMLInputElement;
  readonly backendSelect: HTMLSelectElement;
  readonly runButton: HTMLButtonElement;
  readonly stopButton: HTMLButtonElement;
  readonly form: HTMLFormElement;
  readonly progress: HTMLProgressElement;
  readonly statusText: HTMLSpanElement;
  readonly canvas: HTMLCanvasElement;
  /** Per metric: the samples' cell and the exact floor's cell. */
  readonly metricCells: ReadonlyMap<keyof PlaygroundMetrics, { now: HTMLElement; floor: HTMLElement }>;
  readonly metricsCaption: HTMLParagraphElement;
  readonly description: HTMLParagraphElement;
}

/** Builds the playground's elements into `root` (replacing its content). */
export function buildView(root: HTMLElement): PlaygroundView {
  const targetSelect = element(
    'select',
    { name: 'target', 'data-testid': 'target' },
    PLAYGROUND_TARGETS.map((t) => element('option', { value: t.name }, [t.title])),
  );
  const samplerSelect = element('select', { name: 'sampler', 'data-testid': 'sampler', disabled: '' });
  const nfeInput = element('input', {
    name: 'nfe',
    type: 'number',
    min: '1',
    max: '2000',
    step: '1',
    value: '100',
    'data-testid': 'nfe',
  });
  const sizeSelect = element(
    'select',
    { name: 'n', 'data-testid': 'n' },
    SAMPLE_SIZES.map((n) => element('option', { value: String(n) }, [String(n)])),
  );
  sizeSelect.value = '1000';
  const seedInput = element('input', { name: 'seed', type: 'number', min: '0', step: '1', value: '0' });
  const backendSelect = element('select', { name: 'backend', 'data-testid': 'backend' }, [
    element('option', { value: 'wasm' }, ['wasm (SIMD)']),
    element('option', { value: 'webgl' }, ['webgl']),
    element('option', { value: 'cpu' }, ['cpu (slow)']),
  ]);
  const runButton = element(
    'button',
    { type: 'submit', class: 'pg-run', 'data-testid': 'run', disabled: '' },
    ['Run'],
  );
  const stopButton = element(
    'button',
    { type: 'button', class: 'pg-stop', 'data-testid': 'stop', disabled: '' },
    ['Stop'],
  );
  const form = element('form', { class: 'pg-controls' }, [
    labelled('Target', targetSelect),
    labelled('Sampler', samplerSelect),
    labelled('NFE budget', nfeInput),
    labelled('Samples n', sizeSelect),
    labelled('Seed', seedInput),
    labelled('Backend', backendSelect),
    element('div', { class: 'pg-buttons' }, [runButton, stopButton]),
  ]);
  const progress = element('progress', {
    class: 'pg-progress',
    max: '1',
    value: '0',
    'data-testid': 'progress',
  });
  const statusText = element('span', { class: 'pg-status-text', 'data-testid': 'status' }, [
    'Loading TensorFlow.js…',
  ]);
  const canvas = element('canvas', {
    class: 'pg-canvas',
    width: '480',
    height: '480',
    'data-testid': 'scatter',
  });
  canvas.dataset.points = '0';
  const metricCells = new Map<keyof PlaygroundMetrics, { now: HTMLElement; floor: HTMLElement }>();
  const metricsBody = element(
    'tbody',
    {},
    METRIC_ROWS.map((row) => {
      const now = element('td', { 'data-metric': row.key }, ['–']);
      const floor = element('td', { 'data-floor': row.key }, ['–']);
      metricCells.set(row.key, { now, floor });
      return element('tr', {}, [
        element('th', { scope: 'row' }, [
          row.label,
          element('small', {}, [row.better === 'higher' ? ' ↑' : ' ↓']),
        ]),
        now,
        floor,
      ]);
    }),
  );
  const metricsTable = element('table', { class: 'pg-metrics', 'data-testid': 'metrics' }, [
    element('thead', {}, [
      element('tr', {}, [
        element('th', {}, ['metric']),
        element('th', {}, ['samples']),
        element('th', { title: 'an independent exact sample of the same size' }, ['exact floor']),
      ]),
    ]),
    metricsBody,
  ]);
  const metricsCaption = element('p', { class: 'pg-caption', 'data-testid': 'metrics-caption' }, ['']);
  const metricsNote = element('p', { class: 'pg-caption' }, [
    'MMD² and the energy distance are unbiased estimates: near zero they can be slightly negative. ',
    'Differences smaller than the gap between the floor and its ideal value (1 or 0) are noise at this n.',
  ]);
  const description = element('p', { class: 'pg-caption' }, ['']);
  root.replaceChildren(
    form,
    element('div', { class: 'pg-status' }, [progress, statusText]),
    element('div', { class: 'pg-main' }, [
      element('div', { class: 'pg-plot' }, [canvas, description]),
      element('div', { class: 'pg-side' }, [metricsTable, metricsCaption, metricsNote]),
    ]),
  );
  return {
    targetSelect,
    samplerSelect,
    nfeInput,
    sizeSelect,
    seedInput,
    backendSelect,
    runButton,
    stopButton,
    form,
    progress,
    statusText,
    canvas,
    metricCells,
    metricsCaption,
    description,
  };
}
