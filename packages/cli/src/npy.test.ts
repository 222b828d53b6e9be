/**
 * The .npy reader and writer against bytes NumPy wrote (fixtures/make-npy-fixtures.py, committed), so the format is
 * checked without Python; npy.numpy.test.ts adds a live round trip through NumPy where it is installed.
 */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { decodeNpy, encodeNpy } from './npy.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

describe('against bytes written by NumPy', () => {
  test('our float32 C-order encoding equals np.save byte for byte', () => {
    const values = Float32Array.from([1.5, -2.25, 0.125, 1e-3, 3.0, -0.0]);
    expect(encodeNpy({ n: 3, d: 2, values })).toEqual(fixture('f4-c-3x2.npy'));
  });

  test('reads float32 C order exactly (including −0)', () => {
    const m = decodeNpy(fixture('f4-c-3x2.npy'));
    expect([m.n, m.d]).toEqual([3, 2]);
    expect(m.values).toBeInstanceOf(Float32Array);
    expect(Array.from(m.values)).toEqual(Array.from(Float32Array.from([1.5, -2.25, 0.125, 1e-3, 3, -0])));
    expect(Object.is(m.values[5], -0)).toBe(true);
  });

  test('reads Fortran order (transposes) and float64', () => {
    const m = decodeNpy(fixture('f8-fortran-2x3.npy'));
    expect([m.n, m.d]).toEqual([2, 3]);
    expect(m.values).toBeInstanceOf(Float64Array);
    expect(Array.from(m.values)).toEqual([1, 2, 3, 4, 5, 6.5]);
  });

  test('reads big-endian float64', () => {
    const m = decodeNpy(fixture('f8-big-2x2.npy'));
    expect(Array.from(m.values)).toEqual([1, -2, 0.5, 1e100]);
  });

  test('reads a 1-D int64 array as one column', () => {
    const m = decodeNpy(fixture('i8-1d-4.npy'));
    expect([m.n, m.d]).toEqual([4, 1]);
    expect(Array.from(m.values)).toEqual([1, 2, 3, -4]);
  });

  test('reads format version 2.0', () => {
    const m = decodeNpy(fixture('f4-v2-2x2.npy'));
    expect([m.n, m.d]).toEqual([2, 2]);
    expect(Array.from(m.values)).toEqual([1, 2, 3, 4]);
  });

  test('refuses a string array with a clear message', () => {
    expect(() => decodeNpy(fixture('u-strings.npy'), 'u.npy')).toThrow(
      /u\.npy: unsupported \.npy dtype '<U1'/,
    );
  });
});

describe('format', () => {
  test.prop([fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.integer()])(
    'encode → decode is the identity; the data start on a 64-byte boundary',
    (n, d, float64, seed) => {
      // values from the seed arbitrary (a simple integer hash), never random inside the property
      const raw = Array.from(
        { length: n * d },
        (_, k) => (((seed + 1) * 2654435761 + k * 40503) % 1000003) / 977 - 500,
      );
      const values = float64 ? Float64Array.from(raw) : Float32Array.from(raw);
      const bytes = encodeNpy({ n, d, values });
      const headerLength = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLength) % 64).toBe(0);
      const back = decodeNpy(bytes);
      expect([back.n, back.d]).toEqual([n, d]);
      expect(back.values.constructor).toBe(values.constructor);
      expect(Array.from(back.values)).toEqual(Array.from(values));
    },
  );

  test('float64 option writes <f8', () => {
    const bytes = encodeNpy({ n: 1, d: 1, values: Float32Array.from([0.1]) }, { dtype: 'float64' });
    expect(new TextDecoder().decode(bytes.subarray(10, 30))).toContain("'<f8'");
    expect(decodeNpy(bytes).values[0]).toBe(Math.fround(0.1));
  });

  test('bad input: not npy, truncated data, 3-D arrays, unknown version', () => {
    expect(() => decodeNpy(new TextEncoder().encode('x,y\n1,2\n'), 'a.npy')).toThrow(
      /a\.npy is not a \.npy file/,
    );
    const good = encodeNpy({ n: 2, d: 2, values: Float32Array.from([1, 2, 3, 4]) });
    expect(() => decodeNpy(good.subarray(0, good.length - 1))).toThrow(/truncated \.npy data/);
    const threeD = new TextDecoder('latin1')
      .decode(good)
      .replace("'shape': (2, 2), }", "'shape': (1, 2, 2),}");
    expect(() => decodeNpy(Uint8Array.from(threeD, (c) => c.charCodeAt(0)))).toThrow(/expected a 2-D array/);
    const v9 = Uint8Array.from(good);
    v9[6] = 9;
    expect(() => decodeNpy(v9)).toThrow(/unsupported \.npy format version 9/);
  });
});
