import { test as fcTest } from '@fast-check/vitest';
import { mixtureModel } from '@rtk-diffusion/scores';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { getSampler } from './registry.js';
import { type RowRange, rowChunks, rowParts, sampleRows } from './rows.js';

const range = fc
  .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 500 }))
  .map(([start, length]): RowRange => ({ start, end: start + length }));

/** The chunks tile the range: contiguous, in order, none empty. */
function expectTiling(chunks: readonly RowRange[], whole: RowRange): void {
  expect(chunks[0]?.start).toBe(whole.start);
  expect(chunks.at(-1)?.end).toBe(whole.end);
  chunks.forEach((chunk, i) => {
    expect(chunk.end).toBeGreaterThan(chunk.start);
    if (i > 0) expect(chunk.start).toBe(chunks[i - 1]!.end);
  });
}

describe('rowChunks and rowParts', () => {
  fcTest.prop([range, fc.integer({ min: 1, max: 600 })])(
    'rowChunks tiles the range in chunks of size',
    (r, size) => {
      const chunks = rowChunks(r, size);
      expectTiling(chunks, r);
      expect(chunks.slice(0, -1).every((c) => c.end - c.start === size)).toBe(true);
      expect(chunks.length).toBe(Math.ceil((r.end - r.start) / size));
    },
  );

  fcTest.prop([range, fc.integer({ min: 1, max: 64 })])(
    'rowParts tiles the range in near-equal parts',
    (r, parts) => {
      const chunks = rowParts(r, parts);
      expectTiling(chunks, r);
      expect(chunks.length).toBe(Math.min(parts, r.end - r.start));
      const lengths = chunks.map((c) => c.end - c.start);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    },
  );

  test('bad input is a validation error', () => {
    for (const bad of [
      () => rowChunks({ start: 5, end: 5 }, 2),
      () => rowChunks({ start: 0, end: 5 }, 0),
      () => rowParts({ start: -1, end: 5 }, 2),
      () => rowParts({ start: 0, end: 5 }, 1.5),
    ]) {
      expect(() => bad()).toThrow();
      try {
        bad();
      } catch (error) {
        expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
      }
    }
  });
});

const model = mixtureModel({
  weights: [0.4, 0.6],
  means: [
    [-1, 0, 1],
    [1, 1, -1],
  ],
  covariances: [0.2, 0.3],
});

describe('sampleRows', () => {
  for (const name of ['ddpm', 'rtk-mala'] as const) {
    test(`${name}: batches stacked in order equal one call on the same rows (bit for bit)`, async () => {
      const sampler = getSampler(name);
      const common = { model, nfe: 40, rng: createRng(11) };
      const whole = await sampler.sample({ ...common, n: 9, rowOffset: 3 });
      const expected = await whole.x.data();
      whole.x.dispose();
      const seen: RowRange[] = [];
      const values: number[] = [];
      await expectNoTensorLeak(async () => {
        for await (const { rows, result } of sampleRows(sampler, {
          ...common,
          rows: { start: 3, end: 12 },
          batchSize: 4,
        })) {
          seen.push(rows);
          values.push(...(await result.x.data()));
          tf.dispose(result.x);
        }
      });
      expect(seen).toEqual([
        { start: 3, end: 7 },
        { start: 7, end: 11 },
        { start: 11, end: 12 },
      ]);
      expect(Float32Array.from(values)).toEqual(expected);
    });
  }

  test('onStep receives the batch it belongs to', async () => {
    const batches = new Set<number>();
    for await (const { result } of sampleRows(getSampler('ddim'), {
      model,
      nfe: 3,
      rng: createRng(0),
      rows: { start: 0, end: 5 },
      batchSize: 3,
      onStep: (_event, batch) => batches.add(batch.start),
    })) {
      result.x.dispose();
    }
    expect([...batches]).toEqual([0, 3]);
  });
});
