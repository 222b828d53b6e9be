/**
 * Every user-given grid is validated before a run (levels strictly increasing in (0, 1], alphas the ratios of the
 * levels, a small noisiest level unless the run starts from `initial`): each malformed form is a typed error that
 * names the sampler, and nothing is sampled.
 */
import { customGrid } from '@rtk-diffusion/schedules';
import { gaussianModel } from '@rtk-diffusion/scores';
import { createRng, isRtkError, type RtkErrorCode, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { isExplicitGrid } from './grid.js';
import { pfOde } from './pf-ode.js';
import type { GridChoice } from './types.js';

const model = gaussianModel({ mean: [1, -0.5], covariance: [0.3, 1.5] });

async function errorOf(grid: unknown, initial?: Tensor2D): Promise<unknown> {
  const options = { model, n: 4, nfe: 20, rng: createRng(1), grid: grid as GridChoice };
  return pfOde.sample(initial === undefined ? options : { ...options, initial }).then(
    (result) => {
      result.x.dispose();
      return undefined;
    },
    (error: unknown) => error,
  );
}

const ratios = (levels: number[]) => levels.slice(0, -1).map((a, k) => a / levels[k + 1]!);

describe('a malformed grid is a typed error naming the sampler', () => {
  test.each([
    // level arrays
    ['one level', [1e-4], 'E_VALIDATION', /at least two levels/],
    ['not increasing', [1e-4, 0.9, 0.5, 1], 'E_VALIDATION', /strictly increasing/],
    ['a repeated level', [1e-4, 0.5, 0.5, 1], 'E_VALIDATION', /strictly increasing/],
    ['decreasing (cleanest first)', [1, 0.5, 1e-4], 'E_VALIDATION', /looks decreasing/],
    ['NaN', [1e-4, Number.NaN, 1], 'E_VALIDATION', /signal level in \(0, 1\]/],
    ['zero', [0, 0.5, 1], 'E_VALIDATION', /signal level in \(0, 1\]/],
    ['above 1', [1e-4, 0.5, 1.2], 'E_VALIDATION', /signal level in \(0, 1\]/],
    ['not numbers', ['1e-4', '1'], 'E_VALIDATION', /signal level in \(0, 1\]/],
    [
      'a noisiest level above 1e−3',
      [0.01, 0.5, 1],
      'E_VALIDATION',
      /above 0\.001.*unless you give `initial`/,
    ],
    ['a noisiest level below float32', [1e-40, 1], 'E_VALIDATION', /smallest normal float32/],
    // hand-built Grid objects
    [
      'a Grid not increasing',
      { levels: [1e-4, 0.9, 0.5, 1], alphas: ratios([1e-4, 0.9, 0.5, 1]), name: 'mine' },
      'E_VALIDATION',
      /strictly increasing/,
    ],
    [
      'a Grid with wrong alphas',
      { levels: [1e-4, 0.5, 1], alphas: [2e-4, 0.6], name: 'mine' },
      'E_VALIDATION',
      /alphas\[1\] = 0\.6/,
    ],
    [
      'a Grid with too few alphas',
      { levels: [1e-4, 0.5, 1], alphas: [2e-4], name: 'mine' },
      'E_VALIDATION',
      /needs 2 alphas/,
    ],
    [
      'a Grid without alphas',
      { levels: [1e-4, 0.5, 1], name: 'mine' },
      'E_VALIDATION',
      /a grid is an object/,
    ],
    ['a Grid without levels', { alphas: [2e-4, 0.5], name: 'mine' }, 'E_VALIDATION', /a grid is an object/],
    // neither a schedule nor a grid
    ['a number', 5, 'E_VALIDATION', /grid must be a schedule name/],
    ['an empty object', {}, 'E_VALIDATION', /grid must be a schedule name/],
    ['an unknown schedule', 'cosinus', 'E_UNKNOWN_NAME', /unknown schedule "cosinus"/],
    ['an unknown schedule object', { schedule: 'karas' }, 'E_UNKNOWN_NAME', /unknown schedule "karas"/],
  ] as const)('%s', async (_what, grid, code, message) => {
    const error = await errorOf(grid);
    expect(isRtkError(error, code as RtkErrorCode)).toBe(true);
    expect((error as Error).message).toMatch(message);
    if (code === 'E_VALIDATION') expect((error as Error).message).toMatch(/^pf-ode: /);
  });

  test('a large noisiest level is accepted when the run starts from `initial` (negative control of the check)', async () => {
    const initial = tf.zeros([4, 2]) as Tensor2D;
    expect(await errorOf([0.01, 0.5, 1], initial)).toBeUndefined();
    expect(await errorOf(customGrid([0.01, 0.5, 1], { allowLargeNoisiest: true }), initial)).toBeUndefined();
    expect(
      isRtkError(await errorOf(customGrid([0.01, 0.5, 1], { allowLargeNoisiest: true })), 'E_VALIDATION'),
    ).toBe(true);
    initial.dispose();
  });

  test('well-formed grids of every form run', async () => {
    for (const grid of [
      [1e-4, 0.5, 1],
      customGrid([1e-4, 0.5, 1]),
      { levels: [1e-4, 0.5, 1], alphas: [2e-4, 0.5], name: 'mine' },
      'karras',
      { schedule: 'linear' },
    ]) {
      expect(await errorOf(grid)).toBeUndefined();
    }
  });

  test('isExplicitGrid: arrays and anything with levels or alphas are grids; schedules are not', () => {
    expect(isExplicitGrid([1e-4, 1])).toBe(true);
    expect(isExplicitGrid({ levels: [] })).toBe(true);
    expect(isExplicitGrid({ alphas: [] })).toBe(true);
    expect(isExplicitGrid('linear')).toBe(false);
    expect(isExplicitGrid({ schedule: 'linear' })).toBe(false);
    expect(isExplicitGrid(undefined)).toBe(false);
  });
});
