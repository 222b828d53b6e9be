import { describe, expect, it } from 'vitest';
import { encodeIdx, type IdxType, idxImages, parseIdx } from './idx.js';

/** IDX bytes written here by hand: magic, big-endian dims, big-endian values. */
function idxBytes(type: IdxType, shape: number[], values: number[]): Uint8Array {
  const code = { uint8: 8, int8: 9, int16: 11, int32: 12, float32: 13, float64: 14 }[type];
  const width = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 }[type];
  const bytes = new Uint8Array(4 + 4 * shape.length + width * values.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, code, shape.length]);
  for (const [i, s] of shape.entries()) view.setUint32(4 + 4 * i, s, false);
  const at = (i: number) => 4 + 4 * shape.length + width * i;
  values.forEach((v, i) => {
    if (type === 'uint8') view.setUint8(at(i), v);
    else if (type === 'int8') view.setInt8(at(i), v);
    else if (type === 'int16') view.setInt16(at(i), v, false);
    else if (type === 'int32') view.setInt32(at(i), v, false);
    else if (type === 'float32') view.setFloat32(at(i), v, false);
    else view.setFloat64(at(i), v, false);
  });
  return bytes;
}

describe('parseIdx', () => {
  it('reads every element type, big-endian, with its shape', () => {
    const cases: [IdxType, number[]][] = [
      ['uint8', [0, 7, 255, 128]],
      ['int8', [-128, -1, 0, 127]],
      ['int16', [-30000, -2, 258, 30000]],
      ['int32', [-2e9, -3, 65536, 2e9]],
      ['float32', [-1.5, 0.25, 3, 1e10]],
      ['float64', [-1e-300, Math.PI, 2, -7]],
    ];
    for (const [type, values] of cases) {
      const parsed = parseIdx(idxBytes(type, [2, 2], values));
      expect(parsed.type).toBe(type);
      expect(parsed.shape).toEqual([2, 2]);
      expect([...parsed.values]).toEqual(values);
      expect([...encodeIdx(parsed)]).toEqual([...idxBytes(type, [2, 2], values)]);
    }
  });

  it('rejects gzip, unknown types and truncated files with clear messages', () => {
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]))).toThrow(/this is gzip: decompress it first/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 0]))).toThrow(/unknown element type 0x42/);
    const bytes = idxBytes('uint8', [3, 2], [1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 1))).toThrow(/needs 18 bytes, the file has 17/);
  });

  it('turns uint8 images and labels into a data set with pixels in [0, 1]', () => {
    const images = parseIdx(idxBytes('uint8', [2, 2, 2], [0, 255, 51, 102, 255, 0, 0, 0]));
    const labels = parseIdx(idxBytes('uint8', [2], [3, 9]));
    const data = idxImages(images, labels, 'tiny');
    expect([data.n, data.dim, data.imageShape, data.name]).toEqual([2, 4, [2, 2], 'tiny']);
    expect([...data.values]).toEqual([0, 1, 0.2, 0.4, 1, 0, 0, 0].map(Math.fround));
    expect([...data.labels!]).toEqual([3, 9]);
    expect(() => idxImages(labels)).toThrow(/expected uint8 images \[n, height, width\]/);
    expect(() => idxImages(images, parseIdx(idxBytes('uint8', [3], [1, 2, 3])))).toThrow(
      /expected 2 uint8 labels/,
    );
  });
});
