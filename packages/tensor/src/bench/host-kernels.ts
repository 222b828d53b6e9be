/**
 * Benchmark of the host kernels against the tfjs ops they replace (the same bits): median and least process CPU ms of
 * `repeats` calls on the active backend (wasm unless `--backend cpu`), for the shapes of the speed suite. Run
 * `node dist/bench/host-kernels.js [--backend cpu] [--repeats 21]` in packages/tensor after a build. Importing this
 * module runs nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend.js';
import { allFinite } from '../finite.js';
import { addScaledResidual, residualRowSums } from '../residuals.js';
import { createRng } from '../rng.js';
import { selectRowsOnHost } from '../select-rows.js';

/** One measured pair member: what ran, at which shape, its median and least CPU time (ms). */
export interface HostKernelRow {
  readonly shape: string;
  readonly what: string;
  readonly medianMs: number;
  readonly bestMs: number;
}

/** Shapes measured by default: those of the speed suite's sizes. */
export const HOST_KERNEL_SHAPES: readonly (readonly [number, number])[] = Object.freeze([
  [10_000, 2],
  [100_000, 10],
  [1_000, 784],
] as const);

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Times `run(input)` once per fresh input from `make` (the first call is a warm-up); disposes what it returns. */
function time<I>(
  repeats: number,
  make: () => I,
  run: (input: I) => unknown,
): { medianMs: number; bestMs: number } {
  const inputs = Array.from({ length: repeats + 1 }, make);
  const times: number[] = [];
  inputs.forEach((input, i) => {
    const start = cpuMs();
    const out = run(input);
    if (i > 0) times.push(cpuMs() - start);
    if (out instanceof tf.Tensor) out.dispose();
  });
  for (const input of inputs) if (input instanceof tf.Tensor) input.dispose();
  times.sort((p, q) => p - q);
  return { medianMs: times[Math.floor(times.length / 2)]!, bestMs: times[0]! };
}

/** Each kernel and the tfjs ops it replaces, at each shape. */
export function runHostKernels(
  options: { shapes?: readonly (readonly [number, number])[]; repeats?: number } = {},
): HostKernelRow[] {
  const { shapes = HOST_KERNEL_SHAPES, repeats = 21 } = options;
  const rows: HostKernelRow[] = [];
  for (const [n, d] of shapes) {
    const shape = `${n}x${d}`;
    const none = () => null;
    const [x, s, g] = [1, 2, 3].map((k) => createRng(k).normal([n, d])) as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const mask = tf.tensor1d(
      createRng(4)
        .uniformArray(n, 1)
        .map((u) => (u < 0.6 ? 1 : 0)),
    );
    const rng = createRng(5);
    const tau = tf.scalar(0.013);
    const [b, q, sigma, root] = [0.02, Math.sqrt(0.98), 0.14, Math.sqrt(0.7)];
    const cases: [string, () => unknown, (input: unknown) => unknown][] = [
      // Fresh data each time, so allFinite cannot answer from a kernel's record.
      [
        'NaN check: isFinite + all + read',
        () => tf.mul(x, 1),
        (t) => tf.tidy(() => tf.all(tf.isFinite(t as tf.Tensor)).dataSync()[0]),
      ],
      ['NaN check: allFinite', () => tf.mul(x, 1), (t) => allFinite(t as tf.Tensor)],
      ['normal draw: fresh array + upload', none, () => tf.tensor2d(rng.normalArray(n, d), [n, d])],
      ['normal draw: rng.normal (into the backend)', none, () => rng.normal([n, d])],
      [
        'DDPM update: rng.normal + 5 ops',
        none,
        () => tf.tidy(() => tf.add(tf.div(tf.add(x, tf.mul(s, b)), q), tf.mul(rng.normal([n, d]), sigma))),
      ],
      [
        'DDPM update: rng.noisyUpdate',
        none,
        () =>
          rng.noisyUpdate(x, {
            drift: s,
            driftScale: b,
            divisor: q,
            divide: 'before-noise',
            noiseScale: sigma,
          }),
      ],
      [
        'row selection: matMul spread + Select',
        none,
        () =>
          tf.tidy(() => {
            const column = tf.reshape(tf.cast(tf.notEqual(mask, 0), 'float32'), [n, 1]);
            return tf.where(tf.cast(tf.matMul(column, tf.ones([1, d])), 'bool'), x, s);
          }),
      ],
      ['row selection: selectRowsOnHost', none, () => selectRowsOnHost(mask, x, s)],
      [
        'Langevin log q: 6 ops + Sum',
        none,
        () =>
          tf.tidy(() =>
            tf.neg(tf.sum(tf.div(tf.square(tf.sub(tf.sub(s, x), tf.mul(tau, g))), tf.mul(tau, 4)), 1)),
          ),
      ],
      [
        'Langevin log q: residualRowSums',
        none,
        () =>
          tf.tidy(() =>
            tf.neg(residualRowSums(s, x, { c: g, cScale: 0.013, divisor: Math.fround(0.013) * 4 })!),
          ),
      ],
      [
        'RTK gradient term: 4 ops',
        none,
        () => tf.tidy(() => tf.add(g, tf.mul(tf.sub(s, tf.mul(x, root)), root / 0.3))),
      ],
      ['RTK gradient term: addScaledResidual', none, () => addScaledResidual(g, s, x, root, root / 0.3)],
      [
        'RTK Gaussian term: 3 ops + Sum',
        none,
        () => tf.tidy(() => tf.sum(tf.square(tf.sub(s, tf.mul(x, root))), 1)),
      ],
      ['RTK Gaussian term: residualRowSums', none, () => residualRowSums(s, x, { bScale: root })],
    ];
    for (const [what, make, run] of cases) rows.push({ shape, what, ...time(repeats, make, run) });
    tf.dispose([x, s, g, mask, tau]);
  }
  return rows;
}

/** A Markdown table of the rows. */
export function formatHostKernelTable(rows: readonly HostKernelRow[]): string {
  return [
    '| n × d | what | CPU ms (median) | CPU ms (least) |',
    '| --- | --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.shape} | ${r.what} | ${r.medianMs.toFixed(3)} | ${r.bestMs.toFixed(3)} |`),
  ].join('\n');
}

// Run only when executed as a script, never on import.
const entry = typeof process === 'undefined' ? undefined : process.argv[1];
if (entry !== undefined && import.meta.url === (await import('node:url')).pathToFileURL(entry).href) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const backend = await initBackend({ prefer: arg('--backend') === 'cpu' ? 'cpu' : 'wasm' });
  const { loadavg } = await import('node:os');
  console.log(`backend ${backend.name}, 1-minute load ${loadavg()[0]!.toFixed(2)}`);
  console.log(formatHostKernelTable(runHostKernels({ repeats: Number(arg('--repeats') ?? 21) })));
}
