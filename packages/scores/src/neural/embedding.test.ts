import { test as propTest } from '@fast-check/vitest';
import { tf } from '@rtk-diffusion/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVEL_RANGE, levelEmbedding, logSnr } from './embedding.js';

const range = DEFAULT_LEVEL_RANGE;

function embed(levels: number[], size = 16): Float32Array {
  const t = levelEmbedding(levels, size, range);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

describe('levelEmbedding', () => {
  it('is [n, size] of sin/cos pairs (sin² + cos² = 1) and maps the range ends to u = ∓1', () => {
    const e = embed([range.aMin, 0.5, range.aMax], 8);
    expect(e.length).toBe(24);
    for (let row = 0; row < 3; row++) {
      for (let k = 0; k < 4; k++) expect(e[row * 8 + k]! ** 2 + e[row * 8 + 4 + k]! ** 2).toBeCloseTo(1, 5);
    }
    // The slowest pair is sin(π u / 2): −1 at aMin, +1 at aMax.
    expect(e[0]).toBeCloseTo(-1, 5);
    expect(e[16]).toBeCloseTo(1, 5);
  });

  propTest.prop([
    fc.double({ min: 1e-9, max: 1, noNaN: true }),
    fc.double({ min: 1e-9, max: 1, noNaN: true }),
  ])('clamps to the trained range and its slowest feature is monotone in the log-SNR', (a, b) => {
    const [ea, eb] = [embed([a])[0]!, embed([b])[0]!];
    const [la, lb] = [
      Math.min(logSnr(range.aMax), Math.max(logSnr(range.aMin), a === 1 ? Infinity : logSnr(a))),
      Math.min(logSnr(range.aMax), Math.max(logSnr(range.aMin), b === 1 ? Infinity : logSnr(b))),
    ];
    if (la < lb - 1e-9) expect(ea).toBeLessThanOrEqual(eb + 1e-6);
    if (a <= range.aMin) expect(ea).toBeCloseTo(-1, 5);
    if (a >= range.aMax) expect(ea).toBeCloseTo(1, 5);
  });

  it('separates levels near a = 1 that a itself crowds together', () => {
    const [near, nearer] = [embed([0.99]), embed([0.9999])];
    const distance = Math.hypot(...near.map((v, i) => v - nearer[i]!));
    expect(distance).toBeGreaterThan(1);
  });

  it('rejects bad sizes and levels', () => {
    expect(() => levelEmbedding([0.5], 7, range)).toThrow(/even integer/);
    expect(() => levelEmbedding([0], 8, range)).toThrow(/level 0 must be in \(0, 1\]/);
    expect(tf.memory().numTensors).toBe(0);
  });
});
