/**
 * The shared loop's checks of the model: a score or log-density of the wrong shape, and a model whose dimension does
 * not match what it returns, are `E_SHAPE` errors naming both shapes; nothing leaks.
 */
import { gaussianModel, type ScoreModel } from '@rtk-diffusion/scores';
import { createRng, isRtkError, type Tensor1D, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, test } from 'vitest';
import { ddpm } from './ddpm.js';
import { pfOde } from './pf-ode.js';
import { rtkMala } from './rtk-mala.js';

const model = gaussianModel({ mean: [1, -0.5, 0], covariance: [0.3, 1.5, 1] });

/** The rejection reason of a run started by `start`, checking that the run leaks nothing. */
async function failure(start: () => Promise<{ x: Tensor2D }>): Promise<unknown> {
  let error: unknown;
  await expectNoTensorLeak(async () => {
    error = await start().then(
      (result) => {
        result.x.dispose();
        return undefined;
      },
      (e: unknown) => e,
    );
  });
  return error;
}

describe('the model is checked on every evaluation', () => {
  test('a score of the wrong shape is E_SHAPE naming both shapes', async () => {
    const transposed: ScoreModel = {
      dim: 3,
      score: (x, a) => tf.tidy(() => tf.transpose(model.score(x, a)) as Tensor2D),
    };
    const error = await failure(() => pfOde.sample({ model: transposed, n: 4, nfe: 10, rng: createRng(1) }));
    expect(isRtkError(error, 'E_SHAPE')).toBe(true);
    expect((error as Error).message).toMatch(
      /pf-ode: the model's score has shape \[3,4\] for x of shape \[4,3\]/,
    );
  });

  test('a model whose dim is not the dimension of its scores is E_SHAPE', async () => {
    // model.dim says 4, so the loop starts from [n, 4] noise; the score only knows 3 coordinates.
    const wrongDim: ScoreModel = {
      dim: 4,
      score: (x, a) => tf.tidy(() => model.score(tf.slice(x, [0, 0], [-1, 3]) as Tensor2D, a)),
    };
    const error = await failure(() => ddpm.sample({ model: wrongDim, n: 4, nfe: 10, rng: createRng(1) }));
    expect(isRtkError(error, 'E_SHAPE')).toBe(true);
    expect((error as Error).message).toMatch(/shape \[4,3\] for x of shape \[4,4\] \(model\.dim = 4\)/);
    // negative control: the same model with the right dim runs
    const result = await ddpm.sample({
      model: { ...wrongDim, dim: 3, score: model.score.bind(model) },
      n: 4,
      nfe: 10,
      rng: createRng(1),
    });
    result.x.dispose();
  });

  test('a log-density of the wrong shape is E_SHAPE', async () => {
    const columnLogDensity: ScoreModel = {
      dim: 3,
      score: (x, a) => model.score(x, a),
      logDensity: (x, a) => tf.tidy(() => tf.expandDims(model.logDensity(x, a), 1) as unknown as Tensor1D),
      curvatureBound: (a) => model.curvatureBound(a),
    };
    const error = await failure(() =>
      rtkMala.sample({ model: columnLogDensity, n: 4, nfe: 30, rng: createRng(1) }),
    );
    expect(isRtkError(error, 'E_SHAPE')).toBe(true);
    expect((error as Error).message).toMatch(
      /logDensity has shape \[4,1\] for x of shape \[4,3\]; expected \[4\]/,
    );
  });

  test('initial of the wrong width or height is E_SHAPE', async () => {
    const narrow = tf.zeros([4, 2]) as Tensor2D;
    const short = tf.zeros([3, 3]) as Tensor2D;
    for (const initial of [narrow, short]) {
      const error = await failure(() => ddpm.sample({ model, n: 4, nfe: 10, rng: createRng(1), initial }));
      expect(isRtkError(error, 'E_SHAPE')).toBe(true);
    }
    tf.dispose([narrow, short]);
  });
});
