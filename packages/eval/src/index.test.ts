/**
 * Properties every metric of the public surface shares: invariance to the order of the rows (a sample is a set),
 * symmetry where the metric is symmetric, 0 for identical samples where that holds, and no leaked tensors.
 */
import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect } from 'vitest';
import {
  energyDistance,
  frechetDistance,
  histogramTotalVariation2d,
  marginalAccuracy,
  marginalAccuracyPaper,
  mmd,
  modeWeightError,
  type RowMajorSamples,
  slicedWasserstein,
} from './index.js';

/** A metric reduced to one number, with the float tolerance of a reordering (0 = exact). */
interface Case {
  readonly name: string;
  readonly run: (x: RowMajorSamples, y: RowMajorSamples) => Promise<number>;
  readonly tolerance: number;
  /** Whether metric(x, y) = metric(y, x). */
  readonly symmetric: boolean;
  /** The value for identical samples, when it is exact. */
  readonly identical?: number;
}

const mixture = (d: number) => ({
  weights: [1, 2],
  means: [new Array<number>(d).fill(-1), new Array<number>(d).fill(1)],
  covariances: [1, 0.5],
});

const cases: Case[] = [
  {
    // The default range is the reference's (the second sample's): not symmetric by design.
    name: 'marginalAccuracy',
    run: (x, y) => marginalAccuracy(x, y, { bins: 7 }),
    tolerance: 0,
    symmetric: false,
    identical: 1,
  },
  {
    name: 'marginalAccuracy (pooled range)',
    run: (x, y) => marginalAccuracy(x, y, { bins: 7, range: 'pooled' }),
    tolerance: 0,
    symmetric: true,
    identical: 1,
  },
  {
    name: 'marginalAccuracyPaper',
    run: (x, y) => marginalAccuracyPaper(x, y),
    tolerance: 0,
    symmetric: true,
    identical: 1,
  },
  {
    name: 'histogramTotalVariation2d',
    run: (x, y) => (x.d < 2 ? Promise.resolve(0) : histogramTotalVariation2d(x, y, { bins: 4 })),
    tolerance: 0,
    symmetric: false,
    identical: 0,
  },
  {
    name: 'histogramTotalVariation2d (pooled range)',
    run: (x, y) =>
      x.d < 2 ? Promise.resolve(0) : histogramTotalVariation2d(x, y, { bins: 4, range: 'pooled' }),
    tolerance: 0,
    symmetric: true,
    identical: 0,
  },
  {
    // Reordering changes the float32 summation order of the tiles: a few ulps of the O(1) terms.
    name: 'mmd (biased)',
    run: async (x, y) => (await mmd(x, y, { estimator: 'biased', chunkSize: 3 })).value,
    tolerance: 1e-5,
    symmetric: true,
    identical: 0,
  },
  {
    name: 'mmd (unbiased)',
    run: async (x, y) => (await mmd(x, y, { chunkSize: 4 })).value,
    tolerance: 1e-5,
    symmetric: true,
  },
  {
    name: 'energyDistance (biased)',
    run: async (x, y) => (await energyDistance(x, y, { estimator: 'biased', chunkSize: 3 })).value,
    tolerance: 5e-5,
    symmetric: true,
    identical: 0,
  },
  {
    name: 'energyDistance (unbiased)',
    run: async (x, y) => (await energyDistance(x, y, { chunkSize: 5 })).value,
    tolerance: 5e-5,
    symmetric: true,
  },
  {
    name: 'slicedWasserstein',
    run: async (x, y) => (await slicedWasserstein(x, y, { rng: createRng(9), projections: 8 })).value,
    tolerance: 0,
    symmetric: true,
    identical: 0,
  },
  {
    name: 'frechetDistance',
    run: (x, y) => frechetDistance(x, y, { chunkSize: 3 }),
    tolerance: 1e-6,
    symmetric: true,
    identical: 0,
  },
  {
    name: 'modeWeightError',
    run: async (x) => (await modeWeightError(x, mixture(x.d))).totalVariation,
    tolerance: 0,
    symmetric: false,
  },
];

/** Rows of `s` reordered by the permutation that sorts a row-keyed uniform draw of `rng`. */
function permute(s: RowMajorSamples, seed: number): RowMajorSamples {
  const n = s.values.length / s.d;
  const keys = createRng(seed).fork('permutation').uniformArray(n, 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
  const values = new Float64Array(s.values.length);
  order.forEach((row, i) => {
    for (let j = 0; j < s.d; j++) values[i * s.d + j] = s.values[row * s.d + j]!;
  });
  return { values, d: s.d };
}

const problem: fc.Arbitrary<Problem> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  n: fc.integer({ min: 2, max: 13 }),
  m: fc.integer({ min: 2, max: 13 }),
  d: fc.integer({ min: 1, max: 3 }),
  shift: fc.double({ min: -2, max: 2, noNaN: true }),
});

interface Problem {
  readonly seed: number;
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly shift: number;
}

function samples({ seed, n, m, d, shift }: Problem): [RowMajorSamples, RowMajorSamples] {
  const rng = createRng(seed);
  const x = { values: rng.normalArray(n, d), d };
  const y = { values: rng.normalArray(m, d).map((v) => v * 1.5 + shift), d };
  return [x, y];
}

function close(a: number, b: number, tolerance: number): void {
  if (tolerance === 0) expect(a).toBe(b);
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(a)));
}

describe.each(cases)('$name', ({ run, tolerance, symmetric, identical }) => {
  test.prop([problem], { numRuns: 20 })(
    'is invariant to the order of the rows of either sample',
    async (p) => {
      const [x, y] = samples(p);
      close(await run(permute(x, p.seed), permute(y, p.seed + 1)), await run(x, y), tolerance);
    },
  );

  if (symmetric) {
    test.prop([problem], { numRuns: 10 })('is symmetric in its two samples', async (p) => {
      const [x, y] = samples(p);
      close(await run(y, x), await run(x, y), tolerance);
    });
  }

  if (identical !== undefined) {
    test.prop([problem], { numRuns: 10 })(`is ${identical} for identical samples`, async (p) => {
      const [x] = samples(p);
      close(await run(x, x), identical, Math.max(tolerance, 1e-6));
    });
  }
});

describe('tensor memory', () => {
  test('no metric leaks a tensor, with tensor inputs, and the inputs stay alive', async () => {
    const rng = createRng(1);
    const x = rng.normal([70, 3]);
    const y = tf.tidy(() => tf.add(rng.normal([50, 3]), 0.5)) as tf.Tensor2D;
    await expectNoTensorLeak(async () => {
      await marginalAccuracy(x, y);
      await marginalAccuracyPaper(x, y);
      await histogramTotalVariation2d(x, y);
      await mmd(x, y, { chunkSize: 16 });
      await mmd(x, y, { maxSamples: 20, rng });
      await energyDistance(x, y, { chunkSize: 16 });
      await slicedWasserstein(x, y, { rng });
      await frechetDistance(x, y, { chunkSize: 16 });
      await modeWeightError(x, mixture(3));
      await modeWeightError(x, {
        ...mixture(3),
        covariances: [
          [1, 1, 1],
          [
            [2, 0, 0],
            [0, 2, 0],
            [0, 0, 2],
          ],
        ],
      });
    });
    expect(x.isDisposed || y.isDisposed).toBe(false);
    tf.dispose([x, y]);
  });

  test('nor when a metric throws on bad input', async () => {
    const x = createRng(2).normal([10, 2]);
    await expectNoTensorLeak(async () => {
      await expect(mmd(x, x, { bandwidth: -1 })).rejects.toThrow();
      await expect(
        modeWeightError(x, {
          ...mixture(2),
          covariances: [
            [
              [1, 2],
              [2, 1],
            ],
            1,
          ],
        }),
      ).rejects.toThrow();
      await expect(energyDistance(x, [[1, 2, 3]])).rejects.toThrow();
    });
    x.dispose();
  });
});
