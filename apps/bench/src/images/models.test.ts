/**
 * The network cache trains with resumable checkpoints: a run stopped mid-way leaves a checkpoint in
 * `<name>/checkpoint/`, the next request resumes it and ends with the weights of an uninterrupted run, and the
 * checkpoint is removed once the network is saved.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlpArchitecture, twoMoons } from '@rtk-diffusion/scores/neural';
import { hasCheckpoint } from '@rtk-diffusion/scores/node';
import { createRng, isRtkError } from '@rtk-diffusion/tensor';
import { afterAll, expect, test } from 'vitest';
import { cachedScoreNetwork, checkpointDirectory, type ScoreRecipe } from './models.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recipe: ScoreRecipe = {
  architecture: mlpArchitecture(2, { hidden: 8, depth: 1, embeddingSize: 8 }),
  steps: 80,
  batchSize: 16,
  learningRate: 1e-2,
  warmupSteps: 10,
  seed: 3,
  data: 'two moons, 256 rows, seed 1',
};
const data = twoMoons(256, createRng(1));

test('a stopped training run resumes from its checkpoint and ends with the uninterrupted weights', async () => {
  const whole = await cachedScoreNetwork({ dir: join(dir, 'whole'), recipe, data });
  expect(whole.trained).toBe(true);
  expect(existsSync(checkpointDirectory(join(dir, 'whole')))).toBe(false);

  const parted = join(dir, 'parted');
  const controller = new AbortController();
  const lines: string[] = [];
  await expect(
    cachedScoreNetwork({
      dir: parted,
      recipe,
      data,
      signal: controller.signal,
      log: (line) => {
        lines.push(line);
        if (line.includes('step 40/80')) controller.abort(); // after the checkpoint at step 40
      },
    }),
  ).rejects.toSatisfy((e: unknown) => isRtkError(e, 'E_ABORTED'));
  expect(await hasCheckpoint(checkpointDirectory(parted))).toBe(true);

  const resumed = await cachedScoreNetwork({ dir: parted, recipe, data, log: (line) => lines.push(line) });
  expect(lines.some((line) => /resuming from the checkpoint at step 4\d/.test(line))).toBe(true);
  expect(resumed.network.weights()).toEqual(whole.network.weights());
  expect(existsSync(checkpointDirectory(parted))).toBe(false);
  // Negative control: another seed gives other weights (so equality above is not vacuous).
  const other = await cachedScoreNetwork({ dir: join(dir, 'other'), recipe: { ...recipe, seed: 4 }, data });
  expect(other.network.weights()).not.toEqual(whole.network.weights());
  for (const n of [whole.network, resumed.network, other.network]) n.dispose();
});
