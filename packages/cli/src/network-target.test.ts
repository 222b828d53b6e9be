/**
 * Trained networks as targets: a directory written by `rtk train` loads as the score model of a sampling run (samples
 * mapped back to data space); it cannot be the ground truth of `rtk eval`; a wrong directory is a clear error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRtkError } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { drawSamples } from './draw.js';
import { EXIT_CODES } from './errors.js';
import { main } from './program.js';
import { isNetworkTarget, resolveSampleTarget, resolveTarget } from './resolve-target.js';
import { readSampleFile, writeSampleFile } from './sample-files.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-network-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rtk(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    initBackend: async () => {},
  });
  return { code, stdout, stderr };
}

const net = join(dir, 'moons');
const trained = await rtk(
  'train',
  ...['--data', 'two-moons', '--n', '256', '--steps', '20', '--hidden', '16', '--depth', '2'],
  ...['--embedding', '8', '--quiet', '--out', net],
);

describe('a trained network as --target', () => {
  test('samples from the directory: finite, the right shape, mapped back to data space', async () => {
    expect(trained.code).toBe(EXIT_CODES.ok);
    const target = await resolveSampleTarget(net);
    if (!isNetworkTarget(target)) throw new Error('expected a network target');
    expect(target.dim).toBe(2);
    try {
      const { samples } = await drawSamples({
        model: target.model,
        sampler: 'ddpm',
        nfe: 10,
        n: 40,
        seed: 0,
      });
      const data = await target.toData(samples);
      expect([data.n, data.d]).toEqual([40, 2]);
      expect(Array.from(data.values).every(Number.isFinite)).toBe(true);
      // toData is x / scale + shift of the saved scaling, in float32: two roundings of relative size 2^-24 each
      // (an almost untrained network lets DDPM end far out, so the tolerance is relative)
      const { shift, scale } = target.model.config.scaling;
      data.values.forEach((v, i) => {
        const expected = samples.values[i]! / scale + shift;
        expect(Math.abs(v - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      });
      // the two-moons standardisation is not the identity, so the mapping is not vacuous
      expect(Math.abs(shift) + Math.abs(scale - 1)).toBeGreaterThan(0.1);
    } finally {
      target.dispose();
    }
  });

  test('rtk sample --target DIR writes finite data-space samples; rtk bench refuses the directory', async () => {
    const out = join(dir, 'from-network.npy');
    const run = await rtk(
      ...['sample', '--target', net, '--sampler', 'ddim', '--nfe', '8', '--n', '30', '--out', out],
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT_CODES.ok);
    const samples = await readSampleFile(out);
    expect([samples.n, samples.d]).toEqual([30, 2]);
    expect(Array.from(samples.values).every(Number.isFinite)).toBe(true);
    const bench = await rtk('bench', '--target', net, '--nfe', '5', '--n', '10');
    expect(bench.code).toBe(EXIT_CODES.usage);
    expect(bench.stderr).toMatch(/no ground truth/);
  });

  test('exact targets still resolve as before through resolveSampleTarget', async () => {
    const target = await resolveSampleTarget('grid-2d');
    expect(isNetworkTarget(target)).toBe(false);
    expect(target.model.dim).toBe(2);
  });

  test('rtk eval against a network directory: no ground truth, a usage error naming the way out', async () => {
    await expect(resolveTarget(net)).rejects.toThrow(/no ground truth/);
    const samples = join(dir, 'samples.npy');
    await writeSampleFile(samples, { n: 4, d: 2, values: new Float32Array(8) }, {});
    const run = await rtk('eval', '--samples', samples, '--target', net);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/trained score network: it has no ground truth/);
    expect(run.stderr).toMatch(/rtk sample --target/);
  });

  test('a wrong directory: a clear invalid-input error (exit 2), also for a classifier directory', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(resolveSampleTarget(empty)).rejects.toSatisfy(
      (e: unknown) =>
        isRtkError(e, 'E_VALIDATION') && /holds no rtk-network\.json/.test((e as Error).message),
    );
    const classifier = join(dir, 'classifier');
    mkdirSync(classifier);
    writeFileSync(join(classifier, 'rtk-classifier.json'), '{}');
    await expect(resolveSampleTarget(classifier)).rejects.toThrow(/holds a classifier/);
    const samples = join(dir, 'samples.npy');
    const run = await rtk('eval', '--samples', samples, '--target', empty);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/directory written by rtk train/);
    // metadata present but the weights missing
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'rtk-network.json'), '{}');
    await expect(resolveSampleTarget(broken)).rejects.toSatisfy((e: unknown) => isRtkError(e));
  });
});
