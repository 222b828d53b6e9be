/**
 * The speed suite at a tiny size: the run writes a valid results.json, summary.md (and the plot when the peer runs),
 * skips an unavailable backend with a message, restores the backend and leaks no tensor; the command line rejects bad
 * sizes. The PyTorch peer runs only where /usr/bin/python3 can import torch (otherwise its skip is checked).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../main.js';
import { peerAvailability } from './peer.js';
import { runSpeed } from './run-speed.js';
import { TINY_SPEED_SIZES } from './sizes.js';
import { readSpeedResults } from './speed-results.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-speed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const torch = peerAvailability();

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text), isTTY: false },
  };
  return { out, io };
}

describe('a tiny speed run', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const { io } = capture();
  const { directory, results } = await runSpeed(
    {
      sizes: TINY_SPEED_SIZES,
      backends: ['wasm', 'tensorflow'],
      samplers: ['ddpm', 'rtk-mala'],
      nfe: 30,
      scoreRepeats: 2,
      samplerRepeats: 1,
      peakSize: 64,
      peakElements: 4096,
      peerThreads: [1],
      out: dir,
      runId: 'tiny',
      quiet: true,
    },
    io,
  );

  test('writes a results.json that validates and equals the returned results, and summary.md', async () => {
    expect(await readSpeedResults(directory)).toEqual(JSON.parse(JSON.stringify(results)));
    const summary = readFileSync(join(directory, 'summary.md'), 'utf8');
    expect(summary).toContain('## Score evaluation and the floor');
    expect(summary).toContain('| wasm | 200x3x4 |');
    expect(existsSync(`${directory}.partial`)).toBe(false);
  });

  test('measures score, peak, roofline and each sampler on wasm; skips tensorflow with a message', () => {
    const [wasm, tensorflow] = results.backends;
    expect(wasm?.status).toBe('ok');
    expect(wasm?.peak?.gflops).toBeGreaterThan(0);
    const size = wasm!.sizes[0]!;
    expect(size.score.values).toHaveLength(2);
    expect(size.score.cpu?.values).toHaveLength(2); // process CPU time beside wall time
    expect(size.score.cpu!.median).toBeGreaterThanOrEqual(0);
    expect(size.roofline.flops).toBe(200 * (4 * 3 * 4 + 4 * 3 + 11 * 4));
    expect(size.roofline.fractionOfPeak).toBeGreaterThan(0);
    // tf.profile sees the tfjs kernels of an evaluation (none when the model computes the score in its own fused
    // kernel on the tensors' data); their shares sum to 1
    const shares = size.profile.kernels.reduce((sum, k) => sum + k.share, 0);
    if (size.profile.ms > 0) expect(shares).toBeCloseTo(1, 6);
    for (const sampler of size.samplers) {
      expect(sampler.status).toBe('ok');
      expect(sampler.ms?.values).toHaveLength(1);
      expect(sampler.nfe).toBeLessThanOrEqual(30);
      expect(sampler.samplesPerSecond).toBeCloseTo(200 / (sampler.ms!.median / 1000), 6);
    }
    if (tensorflow?.status === 'skipped') expect(tensorflow.message).toMatch(/tfjs-node/);
    expect(results.load.before).toHaveLength(3);
  });

  test('restores the backend and disposes every tensor', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  test.runIf(torch.ok)('runs the PyTorch peer: same NFE, same moments, ratios', () => {
    expect(results.peer.status).toBe('ok');
    const rows = results.comparisons.filter((c) => c.size === '200x3x4');
    expect(rows.map((c) => c.what)).toEqual(['score', 'ddpm', 'rtk-mala']);
    for (const row of rows) {
      expect(row.ratio['1']).toBeCloseTo(row.oursMs / row.peerMs['1']!, 9);
      expect(row.cpuRatio?.['1']).toBeGreaterThan(0);
    }
    const peerRun = results.peer.runs[0]!.sizes[0]!;
    const ours = results.backends[0]!.sizes[0]!.samplers;
    for (const s of peerRun.samplers) expect(s.nfe).toBe(ours.find((o) => o.sampler === s.sampler)?.nfe);
    for (const row of rows.slice(1)) expect(row.moments?.similar).toBe(true);
    expect(readFileSync(join(directory, 'speed.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  test.runIf(!torch.ok)('skips the peer with the reason', () => {
    expect(results.peer.status).toBe('skipped');
    expect(results.peer.message).toMatch(/torch/);
  });
});

describe('the command line', () => {
  test('bad sizes and unknown samplers exit 2 with a message; an existing run is refused', async () => {
    const bad = capture();
    expect(await main(['--suite', 'speed', '--sizes', '10x2'], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/NxDxK/);
    const unknown = capture();
    expect(
      await main(['--suite', 'speed', '--sizes', 'tiny', '--samplers', 'nope', '--out', dir], unknown.io),
    ).toBe(2);
    expect(unknown.out.stderr).toMatch(/unknown sampler 'nope'/);
  });
});
