import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { isRtkError } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect } from 'vitest';
import { assertWritable, writeFileAtomic } from './atomic-write.js';
import {
  decodeCsv,
  decodeJson,
  encodeCsv,
  encodeJson,
  openSampleFileStream,
  readSampleFile,
  sampleFormatOf,
  writeSampleFile,
} from './sample-files.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A float32 matrix from an integer seed (no randomness inside properties). */
function matrixOf(n: number, d: number, seed: number) {
  const values = Float32Array.from(
    { length: n * d },
    (_, k) => Math.sin(seed * 12.9898 + k * 78.233) * 10 ** ((k % 7) - 3),
  );
  return { n, d, values };
}

describe('CSV', () => {
  test.prop([fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.integer()])(
    'float32 values round-trip exactly with the shortest decimals',
    (n, d, seed) => {
      const m = matrixOf(n, d, seed);
      const text = encodeCsv(m);
      expect(text.split('\n')[0]).toBe(Array.from({ length: d }, (_, j) => `x${j}`).join(','));
      const back = decodeCsv(text);
      expect([back.n, back.d]).toEqual([n, d]);
      expect(Array.from(Float32Array.from(back.values))).toEqual(Array.from(m.values));
    },
  );

  test('reads without a header, skips blank lines, keeps NaN for the metrics to refuse', () => {
    const m = decodeCsv('1,2\n\n3,4\nnan,5\n');
    expect([m.n, m.d]).toEqual([3, 2]);
    expect(Number.isNaN(m.values[4]!)).toBe(true);
  });

  test('names the line and column of a bad value, and ragged rows', () => {
    expect(() => decodeCsv('x,y\n1,2\n3,abc\n', 's.csv')).toThrow(
      "s.csv: line 3, column 2: 'abc' is not a number",
    );
    expect(() => decodeCsv('1,2\n3\n', 's.csv')).toThrow('s.csv: line 2 has 1 values, expected 2');
    expect(() => decodeCsv('x,y\n', 's.csv')).toThrow('s.csv holds no samples');
  });
});

describe('JSON', () => {
  test('round trip with metadata; bare arrays of rows are read too', () => {
    const m = matrixOf(4, 3, 1);
    const parsed = JSON.parse(encodeJson(m, { sampler: 'ddpm' }));
    expect(parsed.meta).toEqual({ sampler: 'ddpm' });
    expect(Array.from(Float32Array.from(decodeJson(JSON.stringify(parsed)).values))).toEqual(
      Array.from(m.values),
    );
    expect(decodeJson('[[1,2],[3,4]]').values).toEqual(Float64Array.from([1, 2, 3, 4]));
  });

  test('clear errors', () => {
    expect(() => decodeJson('{', 'a.json')).toThrow(/a\.json is not valid JSON/);
    expect(() => decodeJson('{"x": 1}', 'a.json')).toThrow(/expected a non-empty array of rows/);
    expect(() => decodeJson('[[1,2],[3]]', 'a.json')).toThrow(
      'a.json: samples[1] must be an array of 2 numbers',
    );
    expect(() => decodeJson('[[1,"2"]]', 'a.json')).toThrow('a.json: samples[0][1] is "2", not a number');
  });
});

describe('files', () => {
  test('the format comes from the extension', () => {
    expect(sampleFormatOf('a/b.NPY')).toBe('npy');
    expect(() => sampleFormatOf('out.txt')).toThrow(/use a file name ending in \.npy/);
  });

  test('write then read in every format, leaving no temporary file', async () => {
    const m = matrixOf(5, 2, 3);
    for (const ext of ['npy', 'csv', 'json']) {
      const path = join(dir, `s.${ext}`);
      await writeSampleFile(path, m, { seed: 1 });
      const back = await readSampleFile(path);
      expect(Array.from(Float32Array.from(back.values))).toEqual(Array.from(m.values));
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('a missing file is an E_IO error naming it', async () => {
    await expect(readSampleFile(join(dir, 'none.npy'))).rejects.toThrow(
      /cannot read .*none\.npy: no such file/,
    );
  });
});

describe('atomic writes', () => {
  test('a failed write leaves the old file whole and no temporary file', async () => {
    const path = join(dir, 'keep.txt');
    writeFileSync(path, 'old');
    // a directory in place of the temporary file's directory makes the write fail after the check
    const bad = join(dir, 'missing-dir', 'x.txt');
    await expect(writeFileAtomic(bad, 'new')).rejects.toSatisfy((e: unknown) => isRtkError(e, 'E_IO'));
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('assertWritable: missing directory, a directory as the file', async () => {
    await expect(assertWritable(join(dir, 'no', 'such', 'x.npy'))).rejects.toThrow(
      /does not exist; create it first/,
    );
    await expect(assertWritable(dir)).rejects.toThrow(/it is a directory/);
    await expect(assertWritable(join(dir, 'fine.npy'))).resolves.toBeUndefined();
  });
});

describe('streamed sample files (--chunk)', () => {
  test.prop([
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 17 }),
    fc.integer({ min: 0, max: 1000 }),
    fc.constantFrom('npy', 'csv'),
  ])(
    'header first, then chunks: the same bytes as writing the whole matrix',
    async (n, d, chunk, seed, format) => {
      const matrix = matrixOf(n, d, seed);
      const whole = join(dir, `whole-${seed}.${format}`);
      const streamed = join(dir, `streamed-${seed}.${format}`);
      await writeSampleFile(whole, matrix);
      const stream = await openSampleFileStream(streamed, { n, d });
      for (let start = 0; start < n; start += chunk) {
        const end = Math.min(n, start + chunk);
        await stream.write({ n: end - start, d, values: matrix.values.subarray(start * d, end * d) });
      }
      await stream.commit();
      expect(readFileSync(streamed)).toEqual(readFileSync(whole));
    },
  );

  test('.json is refused; a short or aborted stream leaves no file', async () => {
    const before = readdirSync(dir).length;
    await expect(openSampleFileStream(join(dir, 's.json'), { n: 2, d: 1 })).rejects.toThrow(
      /cannot stream to .*s\.json.*use|write \.npy or \.csv/,
    );
    const short = await openSampleFileStream(join(dir, 'short.npy'), { n: 4, d: 2 });
    await short.write(matrixOf(3, 2, 1));
    await expect(short.write(matrixOf(2, 2, 1))).rejects.toThrow(/does not fit the 4 × 2 file/);
    await expect(short.commit()).rejects.toThrow(/only 3 of 4 rows were written/);
    const aborted = await openSampleFileStream(join(dir, 'aborted.csv'), { n: 4, d: 2 });
    await aborted.write(matrixOf(2, 2, 1));
    await aborted.abort();
    expect(readdirSync(dir).length).toBe(before);
  });
});
