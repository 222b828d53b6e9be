/**
 * A live round trip through NumPy (python3 with numpy, if installed): NumPy loads what we write, NumPy's own np.save
 * of the same array equals our bytes, and we read back what NumPy writes. Skipped, with a visible message, where
 * numpy is absent (`apt-get install python3-numpy` or `pip install numpy` enables it); npy.test.ts covers the format
 * without Python.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeNpy, encodeNpy } from './npy.js';

const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
const numpyVersion = probe.status === 0 ? probe.stdout.trim() : undefined;
if (numpyVersion === undefined) {
  console.warn(
    'SKIPPED npy.numpy.test.ts: python3 with numpy not found (the pure-TS npy.test.ts still runs)',
  );
}

const SCRIPT = `
import sys, json, numpy as np
spec = json.loads(sys.argv[1])
out = {}
for case in spec:
    a = np.load(case["path"])
    assert a.shape == tuple(case["shape"]), (a.shape, case["shape"])
    assert a.dtype == np.dtype(case["dtype"]), a.dtype
    np.save(case["path"] + ".numpy.npy", a)
    np.save(case["path"] + ".twice.npy", (a * 2 + 1).astype(case["dtype"]))
    out[case["path"]] = float(a.sum())
print(json.dumps(out))
`;

describe.skipIf(numpyVersion === undefined)(
  `round trip through NumPy ${numpyVersion ?? '(not installed: skipped)'}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtk-npy-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('NumPy reads our files, writes identical bytes, and we read its files', () => {
      const cases = [
        { n: 3, d: 2, float64: false },
        { n: 1000, d: 10, float64: false },
        { n: 7, d: 1, float64: true },
        { n: 123456, d: 1, float64: false },
      ].map(({ n, d, float64 }, index) => {
        const raw = Array.from({ length: n * d }, (_, k) => ((k * 7919) % 1009) / 97 - 5);
        const values = float64 ? Float64Array.from(raw) : Float32Array.from(raw);
        const path = join(dir, `case-${index}.npy`);
        writeFileSync(path, encodeNpy({ n, d, values }));
        return { path, n, d, values, dtype: float64 ? 'float64' : 'float32' };
      });
      const run = spawnSync(
        'python3',
        [
          '-c',
          SCRIPT,
          JSON.stringify(cases.map((c) => ({ path: c.path, shape: [c.n, c.d], dtype: c.dtype }))),
        ],
        { encoding: 'utf8' },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const sums = JSON.parse(run.stdout) as Record<string, number>;
      for (const c of cases) {
        const ours = readFileSync(c.path);
        expect(new Uint8Array(readFileSync(`${c.path}.numpy.npy`))).toEqual(new Uint8Array(ours));
        const twice = decodeNpy(new Uint8Array(readFileSync(`${c.path}.twice.npy`)));
        expect([twice.n, twice.d]).toEqual([c.n, c.d]);
        const expected =
          c.dtype === 'float64'
            ? c.values.map((v) => v * 2 + 1)
            : Float32Array.from(c.values, (v) => v * 2 + 1);
        expect(Array.from(twice.values)).toEqual(Array.from(expected));
        const sum = Array.from(c.values).reduce((s, v) => s + v, 0);
        expect(Math.abs(sums[c.path]! - sum)).toBeLessThan(1e-3 * Math.max(1, Math.abs(sum)));
      }
    });
  },
);
