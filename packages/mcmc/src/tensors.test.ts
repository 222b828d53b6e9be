/**
 * `selectRows`, on the cpu and wasm backends: bit for bit the selection it replaced (`tf.broadcastTo` + `tf.where`,
 * kept in bench/select-rows.ts), NaN, ±∞ and −0 included, for random shapes (n = d included, where a last-axis
 * broadcast would pick the wrong axis) and 0/1 masks; a rejected row holding NaN in the proposal comes out as the old
 * row exactly.
 */
import { fc, test } from '@fast-check/vitest';
import { initBackend, type Tensor1D, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { selectRowsByTile } from './bench/select-rows.js';
import { selectRows } from './tensors.js';

/** Entries that arithmetic masking or a lossy copy would change: NaN, ±∞, −0, subnormals, large and small values. */
const entry = fc.oneof(
  fc.float({ noDefaultInfinity: false, noNaN: false }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 2 ** -149),
);

/** n rows of d entries for the proposal and the current state, and a 0/1 mask of length n. */
const instance = fc
  .record({ n: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 12 }) })
  .chain(({ n, d }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      proposal: fc.array(entry, { minLength: n * d, maxLength: n * d }),
      current: fc.array(entry, { minLength: n * d, maxLength: n * d }),
      mask: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
    }),
  );

function bits(x: tf.Tensor): number[] {
  return Array.from(new Uint32Array((x.dataSync() as Float32Array).slice().buffer));
}

describe.each(['cpu', 'wasm'] as const)('selectRows on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });
  afterAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  test.prop([instance], { numRuns: 100, seed: 31 })(
    'gives the same bits as the broadcastTo selection, row by row and for [n] vectors',
    ({ n, d, proposal, current, mask }) => {
      tf.tidy(() => {
        expect(tf.getBackend()).toBe(backend);
        const m = tf.tensor1d(mask) as Tensor1D;
        const [a, b] = [tf.tensor2d(proposal, [n, d]), tf.tensor2d(current, [n, d])];
        expect(bits(selectRows(m, a, b))).toEqual(bits(selectRowsByTile(m, a, b)));
        const [u, v] = [tf.tensor1d(proposal.slice(0, n)), tf.tensor1d(current.slice(0, n))];
        expect(bits(selectRows(m, u, v))).toEqual(bits(selectRowsByTile(m, u, v)));
      });
    },
  );

  test('a rejected row with NaN in the proposal comes out as the old row exactly; no leak', async () => {
    const m = tf.tensor1d([0, 1, 0, 1]) as Tensor1D;
    const proposal = tf.tensor2d([
      [Number.NaN, 1, 2],
      [3, Number.NaN, 4],
      [Number.POSITIVE_INFINITY, Number.NaN, -0],
      [5, 6, 7],
    ]);
    const current = tf.tensor2d([
      [-0, 8, 9],
      [10, 11, 12],
      [13, Number.NEGATIVE_INFINITY, 14],
      [Number.NaN, 15, 16],
    ]);
    await expectNoTensorLeak(() => {
      const out = selectRows(m, proposal, current);
      const expected = [-0, 8, 9, 3, Number.NaN, 4, 13, Number.NEGATIVE_INFINITY, 14, 5, 6, 7];
      Array.from(out.dataSync()).forEach((value, i) => {
        expect(Object.is(value, expected[i])).toBe(true);
      });
      out.dispose();
    });
    tf.dispose([m, proposal, current]);
  });
});
