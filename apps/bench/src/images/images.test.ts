/**
 * The image suite end to end at a tiny size (a 2-channel U-Net and a classifier trained for 2 steps into a temporary
 * model directory, 16 images, one NFE, inline): the files of a run, the results, the PNG grids; the cache (a second
 * request loads instead of training); no tensor leak across a sampler run on a network score.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSampler } from '@rtk-diffusion/samplers';
import { createScoreNetwork, mlpArchitecture, standardScaling, twoMoons } from '@rtk-diffusion/scores/neural';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, test } from 'vitest';
import { withSmoothingBound } from './common.js';
import { IMAGES_TINY } from './config.js';
import { disposeImageContexts } from './job.js';
import { cachedScoreNetwork, mnistSplit } from './models.js';
import { imageGridPng } from './png.js';
import type { ImageResults } from './report.js';
import { runImagesSuite } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-images-'));
afterAll(async () => {
  await disposeImageContexts();
  rmSync(dir, { recursive: true, force: true });
});
const io = { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } };

describe('the images suite at a tiny size', async () => {
  const models = join(dir, 'models');
  const { directory, text } = await runImagesSuite(
    IMAGES_TINY,
    { out: dir, runId: 'tiny', models, workers: 0, quiet: true },
    io,
  );
  const results = JSON.parse(readFileSync(join(directory, 'results.json'), 'utf8')) as ImageResults;

  test('writes results.json, summary.md, the FID plot and the grids', () => {
    for (const file of ['results.json', 'summary.md', 'fid.svg', 'fid.png', 'grid-held-out-digits.png'])
      expect(existsSync(join(directory, file)), file).toBe(true);
    expect(existsSync(`${directory}.partial`)).toBe(false);
    expect(text).toContain('ddpm');
    expect(readFileSync(join(directory, 'summary.md'), 'utf8')).toContain('## FID, default settings');
  });

  test('every sampler has a default and a tuned run with a finite FID, tuning on the other seed', () => {
    expect(results.networks.score.trainedSecondsThisRun).toBeGreaterThan(0);
    for (const sampler of IMAGES_TINY.samplers) {
      const tuned = results.runs.find((r) => r.sampler === sampler && r.setting === 'tuned');
      expect(tuned?.fid, sampler).toBeGreaterThan(0);
      expect(Number.isFinite(tuned?.fid)).toBe(true);
      expect(tuned?.n).toBe(IMAGES_TINY.n);
    }
    for (const t of results.tuning) {
      expect(t.seed).not.toBe(IMAGES_TINY.seed);
      const best = Math.min(...t.candidates.map((c) => c.fid ?? Number.POSITIVE_INFINITY));
      expect(t.candidates.find((c) => c.label === t.chosen)?.fid).toBe(best);
    }
    expect(results.floor.fid).toBeGreaterThan(0);
  });

  test('the grids are PNGs of side × side digits', () => {
    const file = results.grids['ddpm (tuned)'] ?? results.grids['ddpm (default)'];
    const png = PNG.sync.read(readFileSync(join(directory, file!)));
    // side × (28 · zoom 2 + padding 2) + padding 2
    expect(png.width).toBe(IMAGES_TINY.gridSide * 58 + 2);
  });

  test('a second request loads the cached network instead of training', async () => {
    const { train } = await mnistSplit();
    const { network, trained } = await cachedScoreNetwork({
      dir: join(models, IMAGES_TINY.scoreDir),
      recipe: IMAGES_TINY.score,
      data: train,
    });
    expect(trained).toBe(false);
    network.dispose();
  });
});

test('imageGridPng puts each image in its cell', () => {
  const pixels = new Array<number>(2 * 4).fill(0);
  pixels.fill(255, 4, 8); // second 2 × 2 image white
  const png = PNG.sync.read(
    Buffer.from(imageGridPng(pixels, { side: 2, height: 2, width: 2, zoom: 1, padding: 1 })),
  );
  expect([png.width, png.height]).toEqual([7, 7]);
  const at = (x: number, y: number) => png.data[4 * (y * png.width + x)];
  expect(at(1, 1)).toBe(0); // first image
  expect(at(4, 1)).toBe(255); // second image
  expect(at(0, 0)).toBe(128); // padding
});

test('no tensor leak across sampler runs on a network score', async () => {
  const data = twoMoons(64, createRng(1));
  const network = createScoreNetwork(
    {
      architecture: mlpArchitecture(2, { hidden: 8, depth: 1, embeddingSize: 8 }),
      predictionType: 'epsilon',
      levels: { aMin: 1e-5, aMax: 0.9999 },
      scaling: standardScaling(data),
    },
    createRng(2),
  );
  const model = withSmoothingBound(network);
  for (const name of ['ddpm', 'accel-det', 'rtk-uld', 'rtk-mala-score']) {
    await expectNoTensorLeak(async () => {
      const { x } = await getSampler(name).sample({ model, n: 8, nfe: 20, rng: createRng(3) });
      expect(x.shape).toEqual([8, 2]);
      tf.dispose(x);
    });
  }
  network.dispose();
});
