import { createRng, tf } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { byRowBlocks, componentsFromSpec, rowsPerBlock } from './components.js';
import { mixtureModel } from './mixture.js';

describe('row blocks', () => {
  test('evaluating in blocks of rows equals evaluating at once (rows are independent)', async () => {
    const model = mixtureModel({
      weights: [0.5, 0.5],
      means: [
        [0, 0],
        [2, 1],
      ],
      covariances: [
        [
          [1, 0.3],
          [0.3, 0.5],
        ],
        0.4,
      ],
    });
    const x = createRng(3).normal([10, 2]);
    const whole = model.score(x, 0.4);
    const blocks = byRowBlocks(x, 3, (block) => model.score(block, 0.4));
    expect(await blocks.array()).toEqual(await whole.array());
    tf.dispose([x, whole, blocks]);
  });

  test('rowsPerBlock keeps [K_F, rows, d] near 2^22 floats', () => {
    const full = componentsFromSpec({
      weights: [0.5, 0.5],
      means: [new Array(100).fill(0), new Array(100).fill(1)],
      covariances: [
        Array.from({ length: 100 }, (_, i) => Array.from({ length: 100 }, (_, j) => (i === j ? 1 : 0))),
        1,
      ],
    });
    expect(rowsPerBlock(full)).toBe(Math.floor(2 ** 22 / (100 + 2)));
  });
});
