import { createRng, ShapeError, ValidationError } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { histogramTotalVariation2d } from './histogram-2d.js';
import { marginalAccuracy } from './marginal-accuracy.js';

describe('2-D histogram total variation', () => {
  test('0 for a sample against itself, 1 against a disjoint one', async () => {
    const x = { values: createRng(1).normalArray(500, 3), d: 3 };
    const y = {
      values: createRng(2)
        .normalArray(500, 3)
        .map((v) => v + 20),
      d: 3,
    };
    expect(await histogramTotalVariation2d(x, x)).toBe(0);
    expect(await histogramTotalVariation2d(x, x, { dimensions: [2, 0], bins: 7 })).toBe(0);
    expect(await histogramTotalVariation2d(x, y)).toBe(1);
  });

  test('sees joint structure that equal marginals hide', async () => {
    // x on the diagonal {(0,0), (1,1)}, y on the anti-diagonal {(0,1), (1,0)}: the same marginals, disjoint joints.
    const x = [
      [0, 0],
      [1, 1],
    ];
    const y = [
      [0, 1],
      [1, 0],
    ];
    expect(await marginalAccuracy(x, y)).toBe(1);
    expect(await histogramTotalVariation2d(x, y, { bins: 2 })).toBe(1);
  });

  test('hand-computed value with a fixed range and an outside cell', async () => {
    // 2 × 2 cells on [0, 2]²: x has (0,0) and (1,1) → cells 0 and 3; y has (0,0) and (5,5) (outside).
    const x = [
      [0.5, 0.5],
      [1.5, 1.5],
    ];
    const y = [
      [0.5, 0.5],
      [5, 5],
    ];
    const range = [
      [0, 2],
      [0, 2],
    ] as const;
    expect(await histogramTotalVariation2d(x, y, { bins: 2, range })).toBe(0.5);
  });

  test('one outlier row moves the TV by at most 1/n (with the pooled range it hid a shifted sample)', async () => {
    const rng = createRng(0);
    const truth = { values: rng.normalArray(2000, 2), d: 2 };
    const shifted = Float64Array.from(rng.normalArray(2000, 2), (v) => v + 2);
    const clean = await histogramTotalVariation2d({ values: shifted, d: 2 }, truth);
    shifted[0] = 1e4;
    shifted[1] = 1e4;
    const withOutlier = await histogramTotalVariation2d({ values: shifted, d: 2 }, truth);
    expect(clean).toBeGreaterThan(0.5);
    expect(Math.abs(withOutlier - clean)).toBeLessThanOrEqual(1 / 2000 + 1e-12);
    // Negative control: on the pooled range the 30 × 30 cells are 333 wide and both samples share one cell.
    expect(
      await histogramTotalVariation2d({ values: shifted, d: 2 }, truth, { range: 'pooled' }),
    ).toBeLessThan(0.01);
  });

  test('points below and above a fixed range land in different outside cells', async () => {
    const range = [
      [0, 1],
      [0, 1],
    ] as const;
    expect(await histogramTotalVariation2d([[-5, 0.5]], [[5, 0.5]], { bins: 2, range })).toBe(1);
    expect(await histogramTotalVariation2d([[-5, 0.5]], [[-6, 0.7]], { bins: 2, range })).toBe(0);
  });

  test('typed errors', async () => {
    const x = [
      [0, 1],
      [1, 0],
    ];
    await expect(histogramTotalVariation2d(x, x, { bins: 0 })).rejects.toThrow(ValidationError);
    await expect(histogramTotalVariation2d(x, x, { dimensions: [0, 0] })).rejects.toThrow(/two different/);
    await expect(histogramTotalVariation2d(x, x, { dimensions: [0, 2] })).rejects.toThrow(/column indices/);
    await expect(
      histogramTotalVariation2d(x, x, {
        range: [
          [0, 1],
          [1, 1],
        ],
      }),
    ).rejects.toThrow(/range\[1\]/);
    await expect(
      histogramTotalVariation2d(x, x, { range: [[0, 1]] as unknown as [[number, number], [number, number]] }),
    ).rejects.toThrow(ValidationError);
    await expect(histogramTotalVariation2d(x, [[1, 2, 3]])).rejects.toThrow(ShapeError);
  });
});
