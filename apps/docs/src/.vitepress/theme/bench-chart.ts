/**
 * `<BenchChart :series :x-label :y-label />`: a small SVG line chart (log-scaled x) for benchmark curves, drawn at
 * build time from the committed results, so it needs no script in the browser.
 */
import { defineComponent, h, type PropType, type VNode } from 'vue';

/** One curve: a name and its points. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

const COLORS = [
  '#2563eb',
  '#ea580c',
  '#16a34a',
  '#9333ea',
  '#dc2626',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
  '#7c3aed',
  '#0d9488',
];

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 56, right: 150, top: 16, bottom: 44 };

/** Round tick values covering [low, high]. */
function ticks(low: number, high: number, count: number): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const out: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** A line chart of `series`, x on a log scale. */
export const BenchChart = defineComponent({
  name: 'BenchChart',
  props: {
    series: { type: Array as PropType<ChartSeries[]>, required: true },
    xLabel: { type: String, default: 'NFE' },
    yLabel: { type: String, default: '' },
    title: { type: String, default: '' },
  },
  setup(props) {
    return (): VNode => {
      const all = props.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y) && p.x > 0);
      if (all.length === 0) return h('p', { class: 'bench-chart-empty' }, 'No data to plot.');
      const xs = all.map((p) => Math.log10(p.x));
      const ys = all.map((p) => p.y);
      const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
      let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
      if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 0.5, y1 + 0.5];
      const pad = (y1 - y0) * 0.05;
      [y0, y1] = [y0 - pad, y1 + pad];
      const plotW = WIDTH - MARGIN.left - MARGIN.right;
      const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
      const sx = (x: number) =>
        MARGIN.left + (x1 > x0 ? ((Math.log10(x) - x0) / (x1 - x0)) * plotW : plotW / 2);
      const sy = (y: number) => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;
      const xTicks = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
      const shownX =
        xTicks.length > 8 ? xTicks.filter((_, i) => i % Math.ceil(xTicks.length / 8) === 0) : xTicks;
      const children: VNode[] = [
        h('rect', {
          x: MARGIN.left,
          y: MARGIN.top,
          width: plotW,
          height: plotH,
          fill: 'none',
          stroke: '#ccc',
        }),
        ...ticks(y0, y1, 5).flatMap((v) => [
          h('line', { x1: MARGIN.left, x2: MARGIN.left + plotW, y1: sy(v), y2: sy(v), stroke: '#eee' }),
          h('text', { x: MARGIN.left - 6, y: sy(v) + 4, 'text-anchor': 'end', 'font-size': 11 }, String(v)),
        ]),
        ...shownX.map((v) =>
          h(
            'text',
            { x: sx(v), y: MARGIN.top + plotH + 16, 'text-anchor': 'middle', 'font-size': 11 },
            String(v),
          ),
        ),
        h(
          'text',
          { x: MARGIN.left + plotW / 2, y: HEIGHT - 6, 'text-anchor': 'middle', 'font-size': 12 },
          `${props.xLabel} (log scale)`,
        ),
        h(
          'text',
          {
            x: 14,
            y: MARGIN.top + plotH / 2,
            'text-anchor': 'middle',
            'font-size': 12,
            transform: `rotate(-90 14 ${MARGIN.top + plotH / 2})`,
          },
          props.yLabel,
        ),
      ];
      props.series.forEach((s, i) => {
        const color = COLORS[i % COLORS.length]!;
        const pts = s.points.filter((p) => Number.isFinite(p.y) && p.x > 0).sort((a, b) => a.x - b.x);
        if (pts.length === 0) return;
        children.push(
          h('polyline', {
            points: pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' '),
            fill: 'none',
            stroke: color,
            'stroke-width': 2,
          }),
          ...pts.map((p) => h('circle', { cx: sx(p.x), cy: sy(p.y), r: 2.5, fill: color })),
          h(
            'text',
            { x: WIDTH - MARGIN.right + 8, y: MARGIN.top + 12 + 15 * i, 'font-size': 11, fill: color },
            s.name,
          ),
        );
      });
      return h(
        'svg',
        {
          class: 'bench-chart',
          viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
          role: 'img',
          'aria-label': props.title || props.yLabel,
        },
        [h('title', {}, props.title || props.yLabel), ...children],
      );
    };
  },
});
