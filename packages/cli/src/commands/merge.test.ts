/**
 * `rtk sample --rows` shards merged by `rtk merge` equal one big run byte for byte; bad sets of parts (overlap, gap,
 * other settings, other columns or dtype, metadata on some parts only) are refused with a clear message.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLER_NAMES } from '@rtk-diffusion/samplers';
import { afterAll, describe, expect, test } from 'vitest';
import { drawSamples } from '../draw.js';
import { EXIT_CODES } from '../errors.js';
import { main } from '../program.js';
import { resolveTarget } from '../resolve-target.js';
import type { RunMeta } from '../run-meta.js';
import { matrixSlice } from '../sample-matrix.js';
import { dtypeOf, type MergePart, planMerge } from './merge.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => join(dir, name);

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

const run = ['sample', '--target', 'grid-2d', '--sampler', 'rtk-mala', '--nfe', '30', '--seed', '9', '-q'];

describe('rtk merge', () => {
  test('3 shards from --rows, given in any order, merge into the bytes of one run (.npy, .csv; .json parts)', async () => {
    expect((await rtk(...run, '--n', '100', '--out', path('one.npy'))).code).toBe(0);
    expect((await rtk(...run, '--n', '100', '--out', path('one.csv'))).code).toBe(0);
    const shards = ['0:40', '40:70', '70:100'];
    for (const [i, rows] of shards.entries()) {
      for (const format of ['npy', 'csv', 'json']) {
        expect((await rtk(...run, '--rows', rows, '--out', path(`part-${i}.${format}`))).code).toBe(0);
      }
    }
    expect(existsSync(path('part-1.npy.meta.json'))).toBe(true);
    const parts = (format: string) => [2, 0, 1].map((i) => path(`part-${i}.${format}`));
    const merged = await rtk('merge', path('merged.npy'), ...parts('npy'), '--json');
    expect(merged.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(merged.stdout)).toMatchObject({
      n: 100,
      d: 2,
      dtype: 'float32',
      rows: [0, 100],
      checked: true,
    });
    expect(readFileSync(path('merged.npy'))).toEqual(readFileSync(path('one.npy')));
    expect((await rtk('merge', path('merged.csv'), ...parts('csv'))).code).toBe(0);
    expect(readFileSync(path('merged.csv'))).toEqual(readFileSync(path('one.csv')));
    expect((await rtk('merge', path('from-json.npy'), ...parts('json'))).code).toBe(0);
    expect(readFileSync(path('from-json.npy'))).toEqual(readFileSync(path('one.npy')));
    const mixed = [path('part-1.npy'), path('part-0.csv'), path('part-2.json')];
    expect((await rtk('merge', path('mixed.npy'), ...mixed)).code).toBe(0);
    expect(readFileSync(path('mixed.npy'))).toEqual(readFileSync(path('one.npy')));
    // a merge is itself a part: its sidecar says rows 0:100
    expect(JSON.parse(readFileSync(path('merged.npy.meta.json'), 'utf8')).meta.rows).toEqual([0, 100]);
  });

  test('refuses a gap, an overlap, another seed and a part without metadata, naming the files', async () => {
    expect((await rtk(...run, '--rows', '0:10', '--out', path('a.npy'))).code).toBe(0);
    expect((await rtk(...run, '--rows', '12:20', '--out', path('gap.npy'))).code).toBe(0);
    expect((await rtk(...run, '--rows', '5:20', '--out', path('overlap.npy'))).code).toBe(0);
    expect((await rtk(...run, '--seed', '10', '--rows', '10:20', '--out', path('seed.npy'))).code).toBe(0);
    expect((await rtk(...run, '--n', '10', '--out', path('bare.npy'))).code).toBe(0);
    const cases: [string, RegExp][] = [
      ['gap.npy', /rows 10:12 are missing between .*a\.npy.*gap\.npy.*--rows 10:12/],
      ['overlap.npy', /a\.npy \(rows 0:10\) and .*overlap\.npy \(rows 5:20\) overlap/],
      ['seed.npy', /seed\.npy was drawn with seed 10 but .*a\.npy with 9/],
      ['bare.npy', /bare\.npy has no run metadata/],
    ];
    for (const [other, message] of cases) {
      const result = await rtk('merge', path(`bad-${other}`), path('a.npy'), path(other));
      expect(result.code).toBe(EXIT_CODES.usage);
      expect(result.stderr).toMatch(message);
      expect(existsSync(path(`bad-${other}`))).toBe(false);
    }
  });

  test('planMerge: columns, dtype, metadata that do not match the file; without metadata, the order given', () => {
    const meta = (start: number, end: number): RunMeta => ({
      target: 't',
      sampler: 'ddpm',
      nfe: 5,
      nfeBudget: 5,
      seed: 0,
      rows: [start, end],
      samplerOptions: {},
    });
    const part = (name: string, n: number, extra: Partial<MergePart> = {}): MergePart => ({
      path: name,
      n,
      d: 2,
      dtype: 'float32',
      meta: undefined,
      ...extra,
    });
    expect(() => planMerge([part('a', 3), part('b', 3, { d: 3 })])).toThrow(
      /b has d = 3 columns but a has 2/,
    );
    expect(() => planMerge([part('a', 3), part('b', 3, { dtype: 'float64' })])).toThrow(/b holds float64/);
    expect(() => planMerge([part('a', 3, { meta: meta(0, 4) })])).toThrow(
      /a holds 3 rows but its metadata say rows 0:4/,
    );
    const bare = planMerge([part('b', 2), part('a', 3)]);
    expect(bare.parts.map((p) => p.path)).toEqual(['b', 'a']);
    expect(bare.meta).toBeUndefined();
    expect(() => planMerge([])).toThrow(/at least one part/);
    // text holding float32 values (shortest decimals, as rtk sample writes) is float32; other decimals are float64
    expect(dtypeOf({ n: 2, d: 1, values: Float64Array.from([0.1, 3]) })).toBe('float32');
    expect(dtypeOf({ n: 2, d: 1, values: Float64Array.from([0.123456789012, 3]) })).toBe('float64');
  });

  test('parts written by hand (no metadata) merge unchecked, in the order given, with a warning', async () => {
    writeFileSync(path('hand.csv'), 'x0,x1\n1,2\n');
    const result = await rtk('merge', path('hand-merged.csv'), path('hand.csv'), path('hand.csv'));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/no run metadata: concatenated in the order given/);
    expect(readFileSync(path('hand-merged.csv'), 'utf8')).toBe('x0,x1\n1,2\n1,2\n');
  });
});

describe('--rows for every sampler', () => {
  test('rows [3, 7) drawn alone equal the same rows of the full run, for every registered sampler', async () => {
    const { model } = await resolveTarget('grid-2d');
    for (const sampler of SAMPLER_NAMES) {
      const common = { model, sampler, nfe: 40, seed: 1 };
      const full = await drawSamples({ ...common, n: 10 });
      const rows = await drawSamples({ ...common, n: 4, rowOffset: 3 });
      expect(rows.samples.values, sampler).toEqual(matrixSlice(full.samples, 3, 7).values);
    }
  });
});
