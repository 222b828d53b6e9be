/**
 * Benchmark of the Metropolis row selection (`selectRows`, src/tensors.ts) against the `tf.broadcastTo` version it
 * replaced, at the sizes of apps/bench's speed suite: [1000, 784], [100000, 10], [10000, 2]. Prints the median time
 * of one selection (kernels and read-back) for each, and checks that both give the same bits. Runs on the backend of
 * `RTK_BACKEND` (default wasm): `pnpm --filter @rtk-diffusion/mcmc bench:select-rows` after a build. Not exported, not
 * published; importing this module does nothing.
 */
import { createRng, initBackend, type Tensor, type Tensor1D, tf } from '@rtk-diffusion/tensor';
import { selectRows } from '../tensors.js';

/**
 * The selection `selectRows` used before: the mask broadcast to the full shape by `tf.broadcastTo` (the `Tile`
 * kernel), then `tf.where`. Kept as the reference the new one is measured and tested against (tensors.test.ts).
 */
export function selectRowsByTile<T extends Tensor>(mask: Tensor1D, whereTrue: T, whereFalse: T): T {
  return tf.tidy(() => {
    const condition = tf.cast(mask, 'bool');
    if (whereTrue.rank === 1) return tf.where(condition, whereTrue, whereFalse);
    const column = tf.reshape(condition, [mask.shape[0], 1]);
    return tf.where(tf.broadcastTo(column, whereTrue.shape), whereTrue, whereFalse);
  }) as T;
}

/** One line of the benchmark: median milliseconds of one selection, before and after. */
export interface SelectRowsBenchmark {
  readonly shape: readonly [number, number];
  readonly tileMs: number;
  readonly matMulMs: number;
  /** Both selections gave the same bits. */
  readonly identical: boolean;
}

/** The sizes of the speed suite (apps/bench/PERFORMANCE.md): (n, d) of the three RTK-MALA cases. */
export const SELECT_ROWS_SHAPES: readonly (readonly [number, number])[] = [
  [1000, 784],
  [100000, 10],
  [10000, 2],
];

function medianMs(select: () => Tensor, repeats: number): number {
  const times: number[] = [];
  for (let r = 0; r < repeats + 2; r++) {
    const start = performance.now();
    const out = select();
    out.dataSync();
    out.dispose();
    if (r >= 2) times.push(performance.now() - start); // the first two calls warm up
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Times both selections on random rows (a tenth of the proposal rows NaN) with a random half-accepting mask. */
export function benchmarkSelectRows(options: {
  shapes?: readonly (readonly [number, number])[];
  repeats?: number;
  seed?: number;
}): SelectRowsBenchmark[] {
  const { shapes = SELECT_ROWS_SHAPES, repeats = 15, seed = 0 } = options;
  return shapes.map(([n, d]) => {
    const rng = createRng(seed).fork(`${n}x${d}`);
    const [proposal, current, mask] = tf.tidy(() => {
      const nanRows = tf.reshape(tf.less(rng.fork('nan').uniform([n]), 0.1), [n, 1]);
      const normal = rng.fork('proposal').normal([n, d]);
      const withNaN = tf.where(tf.broadcastTo(nanRows, [n, d]), tf.fill([n, d], Number.NaN), normal);
      const accepted = tf.cast(tf.less(rng.fork('accept').uniform([n]), 0.5), 'float32');
      return [withNaN, rng.fork('current').normal([n, d]), accepted] as const;
    });
    const byTile = selectRowsByTile(mask as Tensor1D, proposal, current);
    const byMatMul = selectRows(mask as Tensor1D, proposal, current);
    const [a, b] = [byTile.dataSync(), byMatMul.dataSync()];
    const identical = a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
    tf.dispose([byTile, byMatMul]);
    const tileMs = medianMs(() => selectRowsByTile(mask as Tensor1D, proposal, current), repeats);
    const matMulMs = medianMs(() => selectRows(mask as Tensor1D, proposal, current), repeats);
    tf.dispose([proposal, current, mask]);
    return { shape: [n, d] as const, tileMs, matMulMs, identical };
  });
}

async function main(): Promise<void> {
  const backend = await initBackend();
  console.log(`selectRows, median of 15 (ms), backend ${backend.name}${backend.simd ? ' (SIMD)' : ''}`);
  console.log('shape          broadcastTo   matMul  speed-up  same bits');
  for (const row of benchmarkSelectRows({})) {
    const shape = `[${row.shape.join(', ')}]`.padEnd(13);
    const speedUp = `${(row.tileMs / row.matMulMs).toFixed(1)}×`;
    console.log(
      `${shape}  ${row.tileMs.toFixed(2).padStart(11)}  ${row.matMulMs.toFixed(2).padStart(7)}  ` +
        `${speedUp.padStart(8)}  ${row.identical}`,
    );
  }
}

const invokedDirectly =
  typeof process !== 'undefined' &&
  process.argv[1] !== undefined &&
  import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await main();
