import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, isRtkError } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { mlpArchitecture } from '../neural/architecture.js';
import { encodeCheckpoint } from '../neural/checkpoint.js';
import { dataSet } from '../neural/data.js';
import { trainScoreNetwork } from '../neural/train.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint-files.js';
import { directoryHandler, loadScoreNetwork, NETWORK_FILES, saveScoreNetwork } from './model-files.js';

const root = await mkdtemp(join(tmpdir(), 'rtk-scores-atomic-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const rng = createRng(31);
const data = dataSet(rng.fork('data').normalArray(64, 2), 64, 2);
const architecture = mlpArchitecture(2, { hidden: 8, depth: 2, embeddingSize: 8 });

/** Two checkpoints of one run (steps 3 and 6) and the trained network at step 6. */
async function run() {
  const saved: Awaited<ReturnType<typeof trainScoreNetwork>>['checkpoint'][] = [];
  const result = await trainScoreNetwork({
    network: { architecture },
    data,
    steps: 6,
    batchSize: 16,
    rng: rng.fork('train'),
    checkpointEvery: 3,
    onCheckpoint: (c) => {
      saved.push(c);
    },
  });
  return { first: saved[0]!, last: result.checkpoint, network: result.network };
}
const { first, last, network } = await run();
afterAll(() => network.dispose());

const dataFiles = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.bin')).sort();

describe('checkpoint files are atomic as a set', () => {
  it('a save cut short before its header leaves the previous checkpoint loadable; a finished one replaces it', async () => {
    const dir = join(root, 'checkpoint');
    await saveCheckpoint(dir, first);
    expect(await dataFiles(dir)).toHaveLength(1);
    // A crash after the new data file and before the header: the data of the next checkpoint lies beside the header.
    const { data: next } = encodeCheckpoint(last);
    await writeFile(join(dir, 'checkpoint-0123456789abcdef.bin'), new Uint8Array(next.buffer));
    expect(await loadCheckpoint(dir)).toEqual(first);
    await saveCheckpoint(dir, last);
    expect(await loadCheckpoint(dir)).toEqual(last);
    expect(await dataFiles(dir)).toHaveLength(1);
  });

  it('refuses data that is not what the header names (E_IO), and still reads headers without a named file', async () => {
    const dir = join(root, 'tampered');
    await saveCheckpoint(dir, first);
    const [name] = await dataFiles(dir);
    const bytes = await readFile(join(dir, name!));
    bytes[0] = (bytes[0]! + 1) % 256;
    await writeFile(join(dir, name!), bytes);
    await expect(loadCheckpoint(dir)).rejects.toSatisfy((e: unknown) => isRtkError(e, 'E_IO'));
    // An older checkpoint: checkpoint.json without dataFile, data in checkpoint.bin.
    const legacy = join(root, 'legacy');
    await saveCheckpoint(legacy, first);
    const headerPath = join(legacy, 'checkpoint.json');
    const { dataFile, dataSha256: _, ...header } = JSON.parse(await readFile(headerPath, 'utf8'));
    await writeFile(join(legacy, 'checkpoint.bin'), await readFile(join(legacy, dataFile)));
    await rm(join(legacy, dataFile));
    await writeFile(headerPath, JSON.stringify(header));
    expect(await loadCheckpoint(legacy)).toEqual(first);
  });
});

describe('saved networks are atomic as a set', () => {
  it('new weights beside the old metadata (a save cut short) fail to load with E_IO instead of passing', async () => {
    const dir = join(root, 'network');
    const metadata = await saveScoreNetwork(network, dir, { note: 'first' });
    expect(Object.keys(metadata.files ?? {}).sort()).toEqual(
      [NETWORK_FILES.model, NETWORK_FILES.weights].sort(),
    );
    expect(metadata.objective).toEqual({ weighting: 'simple', levelSampling: 'log-snr-uniform' });
    const loaded = await loadScoreNetwork(dir);
    expect(loaded.objective).toEqual(metadata.objective);
    loaded.dispose();
    // Reformatting model.json (as the repo's formatter does to committed models) keeps it loadable.
    const modelPath = join(dir, NETWORK_FILES.model);
    await writeFile(modelPath, JSON.stringify(JSON.parse(await readFile(modelPath, 'utf8')), null, 2));
    (await loadScoreNetwork(dir)).dispose();
    // Crash between files: another network's model.json and weights.bin written, the metadata not yet.
    const other = await trainScoreNetwork({
      network: { architecture },
      data,
      steps: 1,
      rng: rng.fork('other'),
    });
    await other.network.model.save(directoryHandler(dir));
    other.network.dispose();
    await expect(loadScoreNetwork(dir)).rejects.toSatisfy(
      (e: unknown) => isRtkError(e, 'E_IO') && /SHA-256/.test((e as Error).message),
    );
    // Negative control: metadata without `files` (as written before) loads whatever weights lie beside it.
    const path = join(dir, NETWORK_FILES.scoreMetadata);
    const { files: _, objective: __, ...old } = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify(old));
    const unchecked = await loadScoreNetwork(dir);
    expect(unchecked.objective).toBeUndefined();
    unchecked.dispose();
  });
});
