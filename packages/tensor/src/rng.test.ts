import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { ValidationError } from './errors.js';
import { hashLabel } from './philox.js';
import { createRng } from './rng.js';

const seed = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('createRng', () => {
  test.prop([seed, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 })])(
    'same seed ⇒ same numbers',
    (s, n, d) => {
      expect(createRng(s).normalArray(n, d)).toEqual(createRng(s).normalArray(n, d));
      expect(createRng(s).uniformArray(n, d)).toEqual(createRng(s).uniformArray(n, d));
    },
  );

  test('different seeds give different numbers', () => {
    const a = createRng(1).normalArray(4, 4);
    const b = createRng(2).normalArray(4, 4);
    expect(a).not.toEqual(b);
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects seed %s', (bad) => {
    expect(() => createRng(bad)).toThrow(ValidationError);
  });
});

describe('row-keyed draws', () => {
  test.prop([
    seed,
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 1, max: 11 }),
    fc.integer({ min: 0, max: 60 }),
  ])('a batch drawn in two parts equals the batch drawn at once', (s, n, d, cutRaw) => {
    const cut = cutRaw % (n + 1);
    const whole = createRng(s).normalArray(n, d);
    const first = createRng(s).normalArray(cut, d);
    const second = createRng(s).normalArray(n - cut, d, { rowOffset: cut });
    expect([...first, ...second]).toEqual([...whole]);
    const uniformWhole = createRng(s).uniformArray(n, d);
    const uniformParts = [
      ...createRng(s).uniformArray(cut, d),
      ...createRng(s).uniformArray(n - cut, d, { rowOffset: cut }),
    ];
    expect(uniformParts).toEqual([...uniformWhole]);
  });

  test('10 000 rows at once equal 2 × 5 000 rows (the issue’s example)', () => {
    const whole = createRng(7).normalArray(10_000, 3);
    const parts = [
      ...createRng(7).normalArray(5_000, 3),
      ...createRng(7).normalArray(5_000, 3, { rowOffset: 5_000 }),
    ];
    expect(parts).toEqual([...whole]);
  });

  test.prop([
    seed,
    fc.integer({ min: 1, max: 30 }),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 9 }),
  ])('row i does not depend on the number of columns beyond its own', (s, n, d1, d2) => {
    const narrow = Math.min(d1, d2);
    const wide = Math.max(d1, d2);
    const a = createRng(s).normalArray(n, narrow);
    const b = createRng(s).normalArray(n, wide);
    for (let i = 0; i < n; i++) {
      expect([...a.subarray(i * narrow, (i + 1) * narrow)]).toEqual([
        ...b.subarray(i * wide, i * wide + narrow),
      ]);
    }
  });

  test('each call is a new draw; draws counts them', () => {
    const rng = createRng(3);
    expect(rng.draws).toBe(0);
    const a = rng.normalArray(5, 2);
    const b = rng.normalArray(5, 2);
    expect(rng.draws).toBe(2);
    expect(a).not.toEqual(b);
  });

  test('atRows(s) makes every draw (and every fork) row-aligned with the full batch', () => {
    const full = createRng(13);
    full.normalArray(2, 2); // advance the counter: atRows keeps it
    const part = full.atRows(6);
    const wholeDraw = full.normalArray(10, 3);
    const partDraw = part.normalArray(4, 3);
    expect([...partDraw]).toEqual([...wholeDraw.subarray(18, 30)]);
    const wholeFork = full.fork('k').uniformArray(10, 2);
    const partFork = part.fork('k').uniformArray(4, 2);
    expect([...partFork]).toEqual([...wholeFork.subarray(12, 20)]);
    expect(part.rowOffset).toBe(6);
    expect(() => full.atRows(-1)).toThrow(ValidationError);
  });

  test('fork is a pure function of the stream and the label', () => {
    const rng = createRng(11);
    const before = rng.fork('chain').normalArray(3, 3);
    rng.normalArray(10, 10);
    const after = rng.fork('chain').normalArray(3, 3);
    expect(after).toEqual(before);
    expect(rng.fork('other').normalArray(3, 3)).not.toEqual(before);
    expect(rng.fork('chain').path).toEqual(['chain']);
    expect(rng.fork(3).fork('x').path).toEqual(['3', 'x']);
  });

  test('labels of equal length and equal 32-bit hash give the same stream (the README’s first counter pair)', () => {
    const rng = createRng(11);
    expect(hashLabel('chain-422789')).toBe(hashLabel('chain-639192'));
    expect(rng.fork('chain-422789').normalArray(2, 2)).toEqual(rng.fork('chain-639192').normalArray(2, 2));
    expect(rng.fork(3).normalArray(2, 2)).toEqual(rng.fork('3').normalArray(2, 2));
    expect(rng.fork('chain-422788').normalArray(2, 2)).not.toEqual(
      rng.fork('chain-639192').normalArray(2, 2),
    );
  });
});

describe('tensors', () => {
  test('normal and uniform return float32 tensors of the requested shape', () => {
    const rng = createRng(5);
    const z = rng.normal([4, 3]);
    const u = rng.uniform([6]);
    expect(z.shape).toEqual([4, 3]);
    expect(z.dtype).toBe('float32');
    expect(u.shape).toEqual([6]);
    tf.dispose([z, u]);
  });

  test('a draw of shape [n] equals the column of a draw of shape [n, 1]', () => {
    const a = createRng(9).uniform([8]);
    const b = createRng(9).uniform([8, 1]);
    expect([...a.dataSync()]).toEqual([...b.dataSync()]);
    tf.dispose([a, b]);
  });

  test('the numbers are the same on the cpu and wasm backends', async () => {
    const previous = tf.getBackend();
    await import('@tensorflow/tfjs-backend-cpu');
    const onBackend = async (name: string) => {
      await tf.setBackend(name);
      const z = createRng(21).normal([50, 7]);
      const values = [...(await z.data())];
      z.dispose();
      return values;
    };
    const cpu = await onBackend('cpu');
    const wasm = await onBackend('wasm');
    await tf.setBackend(previous);
    expect(wasm).toEqual(cpu);
  });

  test.prop([
    seed,
    fc.double({ min: -5, max: 5, noNaN: true }),
    fc.double({ min: 1e-3, max: 10, noNaN: true }),
  ])('uniform values lie strictly inside (low, high)', (s, low, width) => {
    const high = low + width;
    const values = createRng(s).uniformArray(200, 3, { low, high });
    expect(Math.min(...values)).toBeGreaterThan(low);
    expect(Math.max(...values)).toBeLessThan(high);
    const unit = createRng(s).uniformArray(500, 4);
    expect(Math.min(...unit)).toBeGreaterThan(0);
    expect(Math.max(...unit)).toBeLessThan(1);
  });

  test('bad shapes and options are validation errors', () => {
    const rng = createRng(1);
    expect(() => rng.normal([3, 0])).toThrow(ValidationError);
    expect(() => rng.normal([-1, 2])).toThrow(ValidationError);
    expect(() => rng.normal([2.5, 2])).toThrow(ValidationError);
    expect(() => rng.normal([2, 2], { rowOffset: -3 })).toThrow(ValidationError);
    expect(() => rng.uniform([2], { low: 1, high: 1 })).toThrow(/low < high/);
    // 1 and 1 + 2^−23 are neighbouring float32 numbers: nothing float32 lies strictly between them.
    expect(() => rng.uniform([2], { low: 1, high: 1 + 2 ** -23 })).toThrow(/no float32 number/);
    expect(rng.uniformArray(3, 1, { low: 1, high: 1 + 2 ** -22 })).toEqual(
      new Float32Array(3).fill(1 + 2 ** -23),
    );
    expect(() => rng.normal([] as unknown as [number])).toThrow(/shape must be/);
  });
});
