import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { mlpArchitecture, unetArchitecture } from '../neural/architecture.js';
import { trainClassifier } from '../neural/classifier.js';
import { dataSet, PIXEL_SCALING } from '../neural/data.js';
import { trainScoreNetwork } from '../neural/train.js';
import {
  loadClassifier,
  loadScoreNetwork,
  NETWORK_FILES,
  saveClassifier,
  saveScoreNetwork,
} from './model-files.js';

const root = await mkdtemp(join(tmpdir(), 'rtk-scores-models-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const rng = createRng(21);

describe('score networks on disk', () => {
  it('round-trip: the loaded network predicts and scores exactly what the saved one did (MLP and U-Net)', async () => {
    const cases = [
      {
        architecture: mlpArchitecture(2, { hidden: 8, depth: 2, embeddingSize: 8 }),
        dim: 2,
        predictionType: 'v' as const,
      },
      {
        architecture: unetArchitecture({ height: 8, width: 8, channels: 2, embeddingSize: 8 }),
        dim: 64,
        predictionType: 'epsilon' as const,
      },
    ];
    for (const [i, c] of cases.entries()) {
      const data = dataSet(rng.fork(`data-${i}`).uniformArray(32, c.dim), 32, c.dim, {
        scaling: PIXEL_SCALING,
      });
      const { network } = await trainScoreNetwork({
        network: { architecture: c.architecture, predictionType: c.predictionType },
        data,
        steps: 3,
        batchSize: 16,
        emaDecay: 0.5,
        rng: rng.fork(`train-${i}`),
      });
      const dir = join(root, `net-${i}`);
      const metadata = await saveScoreNetwork(network, dir, { steps: 3 });
      expect((await readdir(dir)).sort()).toEqual(
        [NETWORK_FILES.model, NETWORK_FILES.scoreMetadata, NETWORK_FILES.weights].sort(),
      );
      expect(metadata.training).toEqual({ steps: 3 });
      const loaded = await loadScoreNetwork(dir);
      expect(loaded.config).toEqual(network.config);
      const x = rng.fork(`x-${i}`).normal([6, c.dim]);
      for (const a of [0.01, 0.5, 0.97]) {
        const [s1, s2] = [network.score(x, a), loaded.score(x, a)];
        expect(tf.max(tf.abs(s1)).dataSync()[0]).toBeGreaterThan(0);
        expect([...s2.dataSync()]).toEqual([...s1.dataSync()]);
        tf.dispose([s1, s2]);
      }
      await expectNoTensorLeak(() => loaded.score(x, 0.3).dispose());
      x.dispose();
      network.dispose();
      loaded.dispose();
    }
  });

  it('fails with E_IO for a missing directory and names the bad field of broken metadata', async () => {
    const before = tf.memory().numTensors;
    await expect(loadScoreNetwork(join(root, 'nowhere'))).rejects.toSatisfy((e: unknown) =>
      isRtkError(e, 'E_IO'),
    );
    const { network } = await trainScoreNetwork({
      network: { architecture: mlpArchitecture(2, { hidden: 4, depth: 1, embeddingSize: 4 }) },
      data: dataSet(new Float32Array([0, 1, 2, 3]), 2, 2),
      steps: 1,
      rng,
    });
    const dir = join(root, 'broken');
    await saveScoreNetwork(network, dir);
    network.dispose();
    const path = join(dir, NETWORK_FILES.scoreMetadata);
    const metadata = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...metadata, predictionType: 'noise' }));
    await expect(loadScoreNetwork(dir)).rejects.toThrow(/predictionType/);
    await writeFile(
      path,
      JSON.stringify({ ...metadata, architecture: { ...metadata.architecture, dim: 3 } }),
    );
    await expect(loadScoreNetwork(dir)).rejects.toThrow(
      /the model takes \[2, 4\] → 2, but the config needs \[3, 4\] → 3/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('round-trips a classifier: same features after loading', async () => {
    const values = rng.fork('images').uniformArray(24, 64);
    const labels = Uint8Array.from({ length: 24 }, (_, i) => i % 3);
    const data = dataSet(values, 24, 64, { labels, imageShape: [8, 8] });
    const { classifier } = await trainClassifier({
      data,
      steps: 2,
      rng,
      architecture: { channels: 2, featureSize: 4 },
    });
    const dir = join(root, 'classifier');
    await saveClassifier(classifier, dir, { accuracy: 0.5 });
    const loaded = await loadClassifier(dir);
    expect(loaded.architecture).toEqual(classifier.architecture);
    const x = tf.tensor2d(values.subarray(0, 5 * 64), [5, 64]);
    const [f1, f2] = [classifier.features(x), loaded.features(x)];
    expect([...f2.dataSync()]).toEqual([...f1.dataSync()]);
    tf.dispose([x, f1, f2]);
    classifier.dispose();
    loaded.dispose();
  });
});
