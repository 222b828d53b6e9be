/**
 * Benchmark: time of one score evaluation of an exact mixture model on the current backend, for the (n, d, K) sizes of
 * issue 3 and each covariance kind. Run `pnpm --filter @rtk-diffusion/scores bench` (after a build); options:
 * `--kinds isotropic,diagonal,full --repeats 5 --level 0.5`. Importing this module runs nothing.
 */
import { createRng, initBackend, TFJS_VERSION } from '@rtk-diffusion/tensor';
import { mixtureModel } from '../mixture.js';
import type { Covariance } from '../spec.js';

/** A covariance kind of the benchmark's mixtures. */
export type BenchKind = 'isotropic' | 'diagonal' | 'full';

/** One benchmark size: n rows, dimension d, K components. */
export interface BenchSize {
  readonly n: number;
  readonly d: number;
  readonly k: number;
}

/** One row of the result table. */
export interface BenchRow extends BenchSize {
  readonly kind: BenchKind;
  /** Median over the repeats of one `score` evaluation at a level already seen (ms). */
  readonly medianMs: number;
  /** The first evaluation at the level (ms): includes the per-level factorisation of full covariances. */
  readonly firstMs: number;
  readonly repeats: number;
}

/** The sizes of issue 3: (n, d, K) = (10 000, 2, 8), (10 000, 10, 16), (1 000, 784, 10), (100 000, 10, 16). */
export const ISSUE_SIZES: readonly BenchSize[] = Object.freeze([
  { n: 10_000, d: 2, k: 8 },
  { n: 10_000, d: 10, k: 16 },
  { n: 1_000, d: 784, k: 10 },
  { n: 100_000, d: 10, k: 16 },
]);

/** A mixture with K components in dimension d: seeded random means, covariances of the given kind. */
function benchSpec(d: number, k: number, kind: BenchKind, seed: number) {
  const rng = createRng(seed);
  const means = Array.from(rng.normalArray(k, d)).map((v) => 2 * v);
  const noise = rng.normalArray(k, d * d);
  const covariances: Covariance[] = Array.from({ length: k }, (_, i) => {
    if (kind === 'isotropic') return 0.05 + 0.01 * i;
    if (kind === 'diagonal') return Array.from({ length: d }, (_, j) => 0.05 + 0.01 * ((i + j) % 7));
    // Σ = 0.05 I + B Bᵀ / d with a random B: positive definite, well conditioned.
    const b = noise.subarray(i * d * d, (i + 1) * d * d);
    return Array.from({ length: d }, (_, r) =>
      Array.from({ length: d }, (_, c) => {
        let s = r === c ? 0.05 : 0;
        for (let t = 0; t < d; t++) s += (b[r * d + t]! * b[c * d + t]!) / d;
        return s * 0.1;
      }),
    );
  });
  return {
    weights: new Array<number>(k).fill(1 / k),
    means: Array.from({ length: k }, (_, i) => means.slice(i * d, (i + 1) * d)),
    covariances,
  };
}

/** Times `score` for every size and kind; `onRow` sees each row as it is measured. */
export function runScoreSpeed(
  options: {
    sizes?: readonly BenchSize[];
    kinds?: readonly BenchKind[];
    repeats?: number;
    level?: number;
    onRow?: (row: BenchRow) => void;
  } = {},
): BenchRow[] {
  const {
    sizes = ISSUE_SIZES,
    kinds = ['isotropic', 'diagonal', 'full'],
    repeats = 5,
    level = 0.5,
  } = options;
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    for (const kind of kinds) {
      const model = mixtureModel(benchSpec(size.d, size.k, kind, 7));
      const x = createRng(11).normal([size.n, size.d]);
      const time = () => {
        const start = performance.now();
        const s = model.score(x, level);
        s.dataSync();
        s.dispose();
        return performance.now() - start;
      };
      const firstMs = time();
      const times = Array.from({ length: repeats }, time).sort((p, q) => p - q);
      const row = { ...size, kind, firstMs, medianMs: times[Math.floor(repeats / 2)]!, repeats };
      x.dispose();
      rows.push(row);
      options.onRow?.(row);
    }
  }
  return rows;
}

/** A Markdown table of the rows. */
export function formatTable(rows: readonly BenchRow[], backend: string): string {
  const lines = [
    `score evaluation, backend ${backend}, level a = 0.5 (median of the repeats after a first call)`,
    '',
    '| n | d | K | covariance | ms / evaluation (median) | first call ms | repeats |',
    '| ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.n} | ${r.d} | ${r.k} | ${r.kind} | ${r.medianMs.toFixed(1)} | ${r.firstMs.toFixed(1)} | ${r.repeats} |`,
    ),
  ];
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const option = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const kinds = (option('kinds')?.split(',') ?? ['isotropic', 'diagonal', 'full']) as BenchKind[];
  const repeats = Number(option('repeats') ?? 5);
  const level = Number(option('level') ?? 0.5);
  const backend = await initBackend();
  const name = `${backend.name}${backend.simd ? ' (SIMD)' : ''}, tfjs ${TFJS_VERSION}`;
  const rows = runScoreSpeed({
    kinds,
    repeats,
    level,
    onRow: (r) => console.error(`  ${r.kind} n=${r.n} d=${r.d} K=${r.k}: ${r.medianMs.toFixed(1)} ms`),
  });
  console.log(formatTable(rows, name));
}

// Run only when executed as a script (`node dist/bench/score-speed.js`), never on import.
const entry = typeof process === 'undefined' ? undefined : process.argv[1];
if (entry !== undefined && import.meta.url === (await import('node:url')).pathToFileURL(entry).href) {
  await main(process.argv.slice(2));
}
