import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { mlpArchitecture } from '../neural/architecture.js';
import { dataSet } from '../neural/data.js';
import { trainScoreNetwork } from '../neural/train.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint-files.js';

const root = await mkdtemp(join(tmpdir(), 'rtk-scores-checkpoints-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('checkpoint files', () => {
  it('save → load gives the same checkpoint, and a run resumed from disk ends where an uninterrupted one does', async () => {
    const rng = createRng(5);
    const data = dataSet(rng.fork('data').normalArray(64, 2), 64, 2);
    const options = {
      network: { architecture: mlpArchitecture(2, { hidden: 8, depth: 2, embeddingSize: 8 }) },
      data,
      batchSize: 16,
      rng: rng.fork('train'),
    };
    const dir = join(root, 'run');
    expect(await hasCheckpoint(dir)).toBe(false);
    const whole = await trainScoreNetwork({
      ...options,
      steps: 12,
      checkpointEvery: 5,
      onCheckpoint: (c) => (c.step === 5 ? saveCheckpoint(dir, c) : undefined),
    });
    expect(await hasCheckpoint(dir)).toBe(true);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.step).toBe(5);
    const resumed = await trainScoreNetwork({ ...options, steps: 12, resume: loaded });
    expect(resumed.checkpoint.weights).toEqual(whole.checkpoint.weights);
    expect(resumed.checkpoint.ema).toEqual(whole.checkpoint.ema);
    await saveCheckpoint(dir, whole.checkpoint);
    expect(await loadCheckpoint(dir)).toEqual(whole.checkpoint);
    whole.network.dispose();
    resumed.network.dispose();
    // A truncated data file: the header's hash catches it; without the hash, the length check does.
    const header = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
    await writeFile(join(dir, header.dataFile), new Uint8Array(8));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/SHA-256/);
    await writeFile(join(dir, 'checkpoint.json'), JSON.stringify({ ...header, dataSha256: undefined }));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/expected \d+ float32 numbers in the data file, got 2/);
  });
});
