import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMixtureSpec } from '@rtk-diffusion/scores';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveTarget } from './resolve-target.js';
import { getTarget, PAPER_MIXTURE, paperMixtureSpec, TARGET_NAMES, TARGETS } from './targets.js';

describe('catalogue', () => {
  test("the paper's mixture is exactly ALGORITHMS.md §7", () => {
    const spec = paperMixtureSpec();
    expect(spec.weights).toHaveLength(18);
    for (const w of spec.weights) expect(w).toBeCloseTo(1 / 18, 15);
    spec.means.forEach((mean, k) => {
      expect(mean).toHaveLength(10);
      expect(mean[0]).toBeCloseTo(Math.cos((k * 20 * Math.PI) / 180), 15);
      expect(mean[1]).toBeCloseTo(Math.sin((k * 20 * Math.PI) / 180), 15);
      expect(mean.slice(2)).toEqual(new Array(8).fill(0));
      expect(Math.hypot(mean[0]!, mean[1]!)).toBeCloseTo(1, 15);
    });
    expect(spec.covariances).toEqual(new Array(18).fill(0.007));
    expect(PAPER_MIXTURE.variance).toBe(0.007);
  });

  test('every built-in spec validates and matches its entry', () => {
    for (const name of TARGET_NAMES) {
      const entry = TARGETS[name]!;
      expect(() => parseMixtureSpec(entry.spec)).not.toThrow();
      expect(entry.dim).toBe(entry.spec.means[0]!.length);
      expect(JSON.parse(JSON.stringify(entry.spec))).toEqual(entry.spec);
    }
    expect(TARGETS['grid-2d']!.dim).toBe(2);
    expect(TARGETS['anisotropic-10d']!.dim).toBe(10);
    expect(TARGETS['gaussian-100d']!.dim).toBe(100);
  });

  test('the 2-D grid has low-probability modes (max/min weight = 16)', () => {
    const { weights } = TARGETS['grid-2d']!.spec;
    expect(weights).toHaveLength(25);
    expect(Math.max(...weights) / Math.min(...weights)).toBeCloseTo(16, 10);
    expect(Math.min(...weights)).toBeLessThan(0.01);
  });

  test('unknown names suggest the nearest', () => {
    expect(() => getTarget('paper-mixtur')).toThrow("Did you mean 'paper-mixture'?");
    let caught: unknown;
    try {
      getTarget('grid');
    } catch (error) {
      caught = error;
    }
    expect(isRtkError(caught, 'E_UNKNOWN_NAME')).toBe(true);
  });
});

describe('resolveTarget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtk-targets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('built-in: exact model whose samples follow the spec (mean of the 2-D grid)', async () => {
    const target = await resolveTarget('grid-2d');
    const x = target.model.sample(4000, createRng(3));
    const mean = tf.tidy(() => Array.from(tf.mean(x, 0).dataSync()));
    x.dispose();
    const { weights, means } = target.spec;
    const expected = [0, 1].map((j) => weights.reduce((s, w, i) => s + w * means[i]![j]!, 0));
    // sd of a coordinate ≤ 4.1 (spread of the grid), so 5 standard errors of the mean: 5 · 4.1 / sqrt(4000) ≈ 0.33
    mean.forEach((m, j) => {
      expect(Math.abs(m - expected[j]!)).toBeLessThan(0.33);
    });
  });

  test('a Gaussian spec file is a one-component mixture', async () => {
    const path = join(dir, 'g.json');
    writeFileSync(path, JSON.stringify({ mean: [1, 2], covariance: [0.5, 2] }));
    const target = await resolveTarget(path);
    expect(target.spec.weights).toEqual([1]);
    expect(target.entry.dim).toBe(2);
  });

  test('an invalid spec file names the field; bad JSON is invalid input, a missing file E_IO', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ weights: [0.5, 0.5], means: [[0], [1]], covariances: [1, -1] }));
    await expect(resolveTarget(path)).rejects.toThrow(/covariances\[1\]/);
    writeFileSync(path, '{"weights": ');
    await expect(resolveTarget(path)).rejects.toSatisfy(
      (e: unknown) => isRtkError(e, 'E_VALIDATION') && /is not valid JSON/.test((e as Error).message),
    );
    await expect(resolveTarget(join(dir, 'none.json'))).rejects.toSatisfy((e: unknown) =>
      isRtkError(e, 'E_IO'),
    );
  });
});
