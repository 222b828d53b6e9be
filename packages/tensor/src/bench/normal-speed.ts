/**
 * Benchmark: millions of standard normals per second drawn by `Rng.normalArray`, on each engine (WebAssembly SIMD and
 * JavaScript: the same numbers), for the shapes of the Langevin and score benchmarks. Run
 * `pnpm --filter @rtk-diffusion/tensor bench` (after a build); option `--repeats 9`. Importing this module runs nothing.
 */
import { type RngEngine, rngEngine, setRngEngine } from '../normals.js';
import { createRng } from '../rng.js';

/** One row of the result: the median time of one draw of shape [n, d]. */
export interface NormalSpeedRow {
  readonly engine: RngEngine;
  readonly n: number;
  readonly d: number;
  readonly medianMs: number;
  /** The fastest repeat (ms): on a machine shared with other jobs, the least disturbed one. */
  readonly bestMs: number;
  /** The smallest CPU time of a repeat (ms; Node's process.cpuUsage, else the wall time): other jobs do not count. */
  readonly cpuMs: number;
  /** Millions of normals per second at the smallest CPU time. */
  readonly millionsPerSecond: number;
}

/** Shapes measured by default: [1000, 784] (a Langevin step on MNIST-sized rows), [100 000, 10], [10 000, 2]. */
export const NORMAL_SHAPES: readonly (readonly [number, number])[] = Object.freeze([
  [1_000, 784],
  [100_000, 10],
  [10_000, 2],
] as const);

/** Times `normalArray` for each shape on each available engine. */
export function runNormalSpeed(
  options: { shapes?: readonly (readonly [number, number])[]; repeats?: number } = {},
): NormalSpeedRow[] {
  const { shapes = NORMAL_SHAPES, repeats = 9 } = options;
  const engines: RngEngine[] = rngEngine() === 'wasm-simd' ? ['wasm-simd', 'js'] : ['js'];
  const rows: NormalSpeedRow[] = [];
  try {
    for (const engine of engines) {
      setRngEngine(engine === 'js' ? 'js' : 'auto');
      for (const [n, d] of shapes) {
        const rng = createRng(1);
        rng.normalArray(n, d); // warm-up
        let cpuMs = Number.POSITIVE_INFINITY;
        const times = Array.from({ length: repeats }, () => {
          const start = performance.now();
          const cpu = cpuClock();
          rng.normalArray(n, d);
          const wall = performance.now() - start;
          cpuMs = Math.min(cpuMs, cpu === null ? wall : cpuSince(cpu));
          return wall;
        }).sort((p, q) => p - q);
        const medianMs = times[Math.floor(repeats / 2)]!;
        const bestMs = times[0]!;
        rows.push({ engine, n, d, medianMs, bestMs, cpuMs, millionsPerSecond: (n * d) / cpuMs / 1e3 });
      }
    }
  } finally {
    setRngEngine('auto');
  }
  return rows;
}

type CpuMark = { user: number; system: number };

function cpuClock(): CpuMark | null {
  return typeof process === 'undefined' || typeof process.cpuUsage !== 'function' ? null : process.cpuUsage();
}

function cpuSince(mark: CpuMark): number {
  const used = process.cpuUsage(mark);
  return (used.user + used.system) / 1000;
}

/** A Markdown table of the rows. */
export function formatNormalTable(rows: readonly NormalSpeedRow[]): string {
  return [
    '| engine | n | d | wall ms (median) | wall ms (best) | CPU ms (best) | M normals / s (CPU) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.engine} | ${r.n} | ${r.d} | ${r.medianMs.toFixed(2)} | ${r.bestMs.toFixed(2)} | ${r.cpuMs.toFixed(2)} | ${r.millionsPerSecond.toFixed(1)} |`,
    ),
  ].join('\n');
}

// Run only when executed as a script (`node dist/bench/normal-speed.js`), never on import.
const entry = typeof process === 'undefined' ? undefined : process.argv[1];
if (entry !== undefined && import.meta.url === (await import('node:url')).pathToFileURL(entry).href) {
  const at = process.argv.indexOf('--repeats');
  console.log(formatNormalTable(runNormalSpeed({ repeats: at >= 0 ? Number(process.argv[at + 1]) : 9 })));
}
