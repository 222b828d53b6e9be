/**
 * `rng.noisyUpdate` against the plain tfjs path (`rng.normal` then tf.mul / tf.add / tf.div), bit for bit, on the cpu
 * and wasm backends and with the WebAssembly and JavaScript engines: every mode, with and without a drift, inputs with
 * NaN, ±Inf and −0 (every NaN compared as one NaN), odd shapes (d = 1 … 37, so both normal layouts and the scalar tails run), and batch splits.
 */
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { ShapeError, ValidationError } from './errors.js';
import { allFinite } from './finite.js';
import type { NoisyUpdate } from './noisy-update.js';
import { setRngEngine } from './normals.js';
import { createRng } from './rng.js';
import { canonicalBits, describeOnBackends } from './test-support/backends.js';
import { expectNoTensorLeak } from './testing.js';

const entry = fc.oneof(
  { weight: 8, arbitrary: fc.float({ min: -1e3, max: 1e3, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 3e38),
  },
);

const instance = fc
  .record({
    n: fc.integer({ min: 1, max: 9 }),
    d: fc.integer({ min: 1, max: 37 }),
    seed: fc.integer({ min: 0, max: 2 ** 40 }),
    drift: fc.boolean(),
    divide: fc.constantFrom(undefined, 'before-noise', 'after-noise'),
    b: fc.double({ min: -2, max: 2, noNaN: true }),
    q: fc.double({ min: 0.01, max: 3, noNaN: true }),
    sigma: fc.double({ min: 0, max: 3, noNaN: true }),
  })
  .chain((r) =>
    fc.record({
      ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fc.constant(v)])),
      x: fc.array(entry, { minLength: r.n * r.d, maxLength: r.n * r.d }),
      s: fc.array(entry, { minLength: r.n * r.d, maxLength: r.n * r.d }),
    }),
  ) as fc.Arbitrary<{
  n: number;
  d: number;
  seed: number;
  drift: boolean;
  divide: 'before-noise' | 'after-noise' | undefined;
  b: number;
  q: number;
  sigma: number;
  x: number[];
  s: number[];
}>;

/** The same update as separate tfjs kernels on `rng.normal` (what the samplers did before). */
function byOps(x: tf.Tensor2D, update: NoisyUpdate, z: tf.Tensor2D): tf.Tensor2D {
  let t: tf.Tensor = x;
  if (update.drift !== undefined) t = tf.add(t, tf.mul(update.drift, update.driftScale!));
  if (update.divide === 'before-noise') t = tf.div(t, update.divisor!);
  t = tf.add(t, tf.mul(z, update.noiseScale));
  if (update.divide === 'after-noise') t = tf.div(t, update.divisor!);
  return t as tf.Tensor2D;
}

describeOnBackends((_backend) => {
  describe.each(['auto', 'js'] as const)('with the %s engine', (engine) => {
    test.prop([instance], { numRuns: 60, seed: 9 })(
      'equals rng.normal followed by the tfjs ops, bit for bit; allFinite knows the answer',
      (r) => {
        setRngEngine(engine);
        tf.tidy(() => {
          const x = tf.tensor2d(r.x, [r.n, r.d]);
          const update: NoisyUpdate = {
            ...(r.drift ? { drift: tf.tensor2d(r.s, [r.n, r.d]), driftScale: r.b } : {}),
            ...(r.divide === undefined ? {} : { divisor: r.q, divide: r.divide }),
            noiseScale: r.sigma,
          };
          const fused = createRng(r.seed).fork('step').noisyUpdate(x, update);
          const expected = byOps(x, update, createRng(r.seed).fork('step').normal([r.n, r.d]));
          expect(canonicalBits(fused)).toEqual(canonicalBits(expected));
          expect(allFinite(fused)).toBe(tf.all(tf.isFinite(expected)).dataSync()[0] === 1);
        });
      },
    );
  });

  test.prop(
    [fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 3000 }), fc.constantFrom(1, 2, 10, 13)],
    {
      numRuns: 12,
      seed: 4,
    },
  )(
    'a batch split into two row ranges gives the same rows; the draw counter advances like normal()',
    (n, cut, d) => {
      tf.tidy(() => {
        const k = cut % (n + 1);
        const x = createRng(1).normal([n, d]);
        const s = createRng(2).normal([n, d]);
        const update = {
          drift: s,
          driftScale: 0.3,
          divisor: 0.9,
          divide: 'before-noise',
          noiseScale: 0.7,
        } as const;
        const rng = createRng(3);
        const whole = rng.noisyUpdate(x, update);
        expect(rng.draws).toBe(1);
        const parts = [
          createRng(3)
            .atRows(0)
            .noisyUpdate(tf.slice(x, [0, 0], [k, d]), { ...update, drift: tf.slice(s, [0, 0], [k, d]) }),
          createRng(3)
            .atRows(k)
            .noisyUpdate(tf.slice(x, [k, 0], [n - k, d]), {
              ...update,
              drift: tf.slice(s, [k, 0], [n - k, d]),
            }),
        ];
        expect(canonicalBits(tf.concat(parts))).toEqual(canonicalBits(whole));
        // The second draw of the stream is not the first.
        expect(canonicalBits(rng.noisyUpdate(x, update))).not.toEqual(canonicalBits(whole));
      });
    },
  );

  test('another order of the same operations gives other bits (the comparison above can fail)', () => {
    tf.tidy(() => {
      const x = createRng(5).normal([400, 7]);
      const s = createRng(6).normal([400, 7]);
      const fused = createRng(7).noisyUpdate(x, {
        drift: s,
        driftScale: 0.37,
        divisor: 0.83,
        divide: 'before-noise',
        noiseScale: 0.5,
      });
      // (x + b s) / q computed as x / q + (b / q) s: the same number in exact arithmetic, other float32 roundings.
      const z = createRng(7).normal([400, 7]);
      const reordered = tf.add(
        tf.add(tf.div(x, 0.83), tf.mul(s, Math.fround(0.37) / Math.fround(0.83))),
        tf.mul(z, 0.5),
      );
      expect(canonicalBits(fused)).not.toEqual(canonicalBits(reordered));
    });
  });

  test('refuses a drift of another shape and incomplete coefficients; nothing leaks', async () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const s = tf.zeros([3, 3]) as tf.Tensor2D;
    await expectNoTensorLeak(() => {
      expect(() => createRng(1).noisyUpdate(x, { drift: s, driftScale: 1, noiseScale: 1 })).toThrow(
        ShapeError,
      );
      expect(() => createRng(1).noisyUpdate(x, { divisor: 2, noiseScale: 1 })).toThrow(ValidationError);
      createRng(1).noisyUpdate(x, { noiseScale: 1 }).dispose();
    });
    tf.dispose([x, s]);
  });
});
