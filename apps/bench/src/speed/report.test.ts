/**
 * The score table places a fused score under the peak of what ran: the committed cpu-backend run
 * (results/2026-11-22T03-18-speed-cpu, whose score at d ≤ 32 is the fused WebAssembly kernel) reads "n/a" there
 * instead of its old 167 % / 407 % of the cpu matMul peak, keeps the cpu fraction at d = 784 (tfjs kernels ran), and
 * takes the wasm peak when the run has one.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { peakShares, scoreTable } from './report.js';
import { readSpeedResults } from './speed-results.js';

const run = fileURLToPath(new URL('../../../../results/2026-11-22T03-18-speed-cpu', import.meta.url));

describe('peakShares', () => {
  test('a fused score on the cpu backend is n/a without a wasm peak, and a share of the wasm peak with one', async () => {
    const results = await readSpeedResults(run);
    const cpu = results.backends.find((b) => b.backend === 'cpu')!;
    const rows = scoreTable(results).rows;
    const ofPeak = (size: string) => rows.find((r) => r[1] === size)![7];
    expect(ofPeak('10000x2x8')).toBe('n/a (fused wasm kernel)');
    expect(ofPeak('100000x10x16')).toBe('n/a (fused wasm kernel)');
    expect(ofPeak('1000x784x10')).toMatch(/^\d+(\.\d+)? %$/);
    const wasmPeak = { ...cpu.peak!, gflops: 40, bandwidthGBs: 30 };
    const withWasm = {
      ...results,
      backends: [...results.backends, { ...cpu, backend: 'wasm', peak: wasmPeak }],
    };
    const size = cpu.sizes.find((s) => s.size === '100000x10x16')!;
    const shares = peakShares(withWasm, cpu, size);
    expect(shares.ofPeak).toBe(`${(100 * (size.roofline.achievedGflops / 40)).toPrecision(2)} % of wasm's`);
  });
});
