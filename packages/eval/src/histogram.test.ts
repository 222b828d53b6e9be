import { ValidationError } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import {
  assertRange,
  binIndex,
  cellIndex,
  columnCounts,
  countsTotalVariation,
  pooledRange,
  referenceRange,
} from './histogram.js';

describe('binIndex', () => {
  test('half-open bins, the last one closed, outside is −1 (as numpy.histogram and torch.histc)', () => {
    expect(binIndex(0, 0, 1, 4)).toBe(0);
    expect(binIndex(0.25, 0, 1, 4)).toBe(1);
    expect(binIndex(0.9999, 0, 1, 4)).toBe(3);
    expect(binIndex(1, 0, 1, 4)).toBe(3);
    expect(binIndex(-1e-9, 0, 1, 4)).toBe(-1);
    expect(binIndex(1 + 1e-9, 0, 1, 4)).toBe(-1);
    expect(binIndex(Number.NaN, 0, 1, 4)).toBe(-1);
  });

  test('a degenerate range (a constant coordinate) puts its value in bin 0', () => {
    expect(binIndex(2, 2, 2, 10)).toBe(0);
    expect(binIndex(3, 2, 2, 10)).toBe(-1);
  });
});

describe('ranges and counts', () => {
  test('assertRange accepts finite low < high only', () => {
    expect(() => assertRange([0, 1], 'range')).not.toThrow();
    for (const bad of [[1, 1], [2, 1], [0, Number.POSITIVE_INFINITY], [Number.NaN, 1], [0]] as const) {
      expect(() => assertRange(bad as unknown as [number, number], 'range')).toThrow(ValidationError);
    }
  });

  test('pooled range covers both samples; counts sum to n with an outside cell', () => {
    const x = { values: Float64Array.of(0, 10, 1, 20), n: 2, d: 2 };
    const y = { values: Float64Array.of(-1, 15, 3, 5), n: 2, d: 2 };
    expect(pooledRange(x, y, 0)).toEqual([-1, 3]);
    expect(pooledRange(x, y, 1)).toEqual([5, 20]);
    const counts = columnCounts(y, 0, [0, 4], 2);
    expect(Array.from(counts)).toEqual([0, 1, 1, 0]);
    expect(Array.from(columnCounts(x, 1, [12, 15], 3))).toEqual([0, 0, 0, 1, 1]);
    expect(countsTotalVariation(Float64Array.of(2, 0), Float64Array.of(1, 1), 2, 2, 2)).toBe(0.5);
  });
});

describe('reference range and outside cells', () => {
  test('the reference column [min, max], padded by a fraction of its width (a constant column by the fraction)', () => {
    const y = { values: Float64Array.of(2, 7, 4, 7, 0, 7), n: 3, d: 2 };
    expect(referenceRange(y, 0)).toEqual([0 - 0.2, 4 + 0.2]);
    expect(referenceRange(y, 0, 0)).toEqual([0, 4]);
    expect(referenceRange(y, 1, 0.5)).toEqual([6.5, 7.5]);
    expect(() => referenceRange(y, 0, -1)).toThrow(ValidationError);
    expect(() => referenceRange(y, 0, Number.NaN)).toThrow(/padding/);
  });

  test('cellIndex: the bin inside, underflow = bins, overflow = bins + 1', () => {
    expect(cellIndex(0.5, [0, 1], 4)).toBe(2);
    expect(cellIndex(-0.1, [0, 1], 4)).toBe(4);
    expect(cellIndex(1.1, [0, 1], 4)).toBe(5);
  });
});
