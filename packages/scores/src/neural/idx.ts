/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a magic number 0x00 0x00 <type> <rank>, then `rank`
 * big-endian uint32 dimensions, then the values in row-major order, big-endian.
 * Types: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
 * Reading gzip files is `readIdxFile` of `@rtk-diffusion/scores/node`; this module only parses bytes.
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { type DataSet, dataSet, PIXEL_SCALING } from './data.js';

/** An IDX element type. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX array. */
export interface IdxArray {
  readonly type: IdxType;
  readonly shape: readonly number[];
  readonly values: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Readonly<Record<number, { type: IdxType; bytes: number }>> = {
  8: { type: 'uint8', bytes: 1 },
  9: { type: 'int8', bytes: 1 },
  11: { type: 'int16', bytes: 2 },
  12: { type: 'int32', bytes: 4 },
  13: { type: 'float32', bytes: 4 },
  14: { type: 'float64', bytes: 8 },
};

/**
 * Parses IDX bytes (not compressed).
 *
 * @throws {@link ValidationError} on a bad magic number, an unknown type, or a length that does not match the shape.
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new ValidationError(
      `parseIdx: not an IDX file (it must start with two zero bytes${bytes[0] === 0x1f && bytes[1] === 0x8b ? '; this is gzip: decompress it first' : ''})`,
    );
  }
  const kind = TYPES[bytes[2]!];
  if (kind === undefined) {
    throw new ValidationError(`parseIdx: unknown element type 0x${bytes[2]!.toString(16)}`, {
      type: bytes[2],
    });
  }
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new ValidationError(`parseIdx: truncated header (rank ${rank})`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((p, s) => p * s, 1);
  const expected = header + count * kind.bytes;
  if (bytes.length !== expected) {
    throw new ValidationError(
      `parseIdx: shape [${shape.join(', ')}] of ${kind.type} needs ${expected} bytes, the file has ${bytes.length}`,
      { shape, expected, got: bytes.length },
    );
  }
  const read = (i: number): number => {
    const at = header + i * kind.bytes;
    switch (kind.type) {
      case 'int8':
        return view.getInt8(at);
      case 'int16':
        return view.getInt16(at, false);
      case 'int32':
        return view.getInt32(at, false);
      case 'float32':
        return view.getFloat32(at, false);
      default:
        return view.getFloat64(at, false);
    }
  };
  let values: IdxArray['values'];
  if (kind.type === 'uint8') values = bytes.slice(header);
  else {
    const Make = {
      int8: Int8Array,
      int16: Int16Array,
      int32: Int32Array,
      float32: Float32Array,
      float64: Float64Array,
    }[kind.type];
    values = new Make(count);
    for (let i = 0; i < count; i++) values[i] = read(i);
  }
  return { type: kind.type, shape, values };
}

/** IDX bytes of an array (the inverse of {@link parseIdx}); e.g. to write a data set for other tools. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const entry = Object.entries(TYPES).find(([, t]) => t.type === array.type);
  if (entry === undefined) throw new ValidationError(`encodeIdx: unknown type ${String(array.type)}`);
  const [code, kind] = [Number(entry[0]), entry[1]];
  const count = array.shape.reduce((p, s) => p * s, 1);
  if (array.values.length !== count) {
    throw new ValidationError(
      `encodeIdx: shape [${array.shape.join(', ')}] needs ${count} values, got ${array.values.length}`,
    );
  }
  const header = 4 + 4 * array.shape.length;
  const bytes = new Uint8Array(header + count * kind.bytes);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, code, array.shape.length]);
  for (const [i, s] of array.shape.entries()) view.setUint32(4 + 4 * i, s, false);
  for (let i = 0; i < count; i++) {
    const at = header + i * kind.bytes;
    const v = array.values[i]!;
    switch (array.type) {
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v, false);
        break;
      case 'int32':
        view.setInt32(at, v, false);
        break;
      case 'float32':
        view.setFloat32(at, v, false);
        break;
      default:
        view.setFloat64(at, v, false);
    }
  }
  return bytes;
}

/**
 * A data set from IDX images [n, h, w] (uint8, scaled to [0, 1] by /255) and optional labels [n] (uint8).
 *
 * @throws {@link ValidationError} when the shapes or types do not fit.
 */
export function idxImages(images: IdxArray, labels?: IdxArray, name?: string): DataSet {
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    throw new ValidationError(
      `idxImages: expected uint8 images [n, height, width], got ${images.type} [${images.shape.join(', ')}]`,
    );
  }
  const [n, height, width] = images.shape as [number, number, number];
  if (
    labels !== undefined &&
    (labels.type !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== n)
  ) {
    throw new ValidationError(
      `idxImages: expected ${n} uint8 labels, got ${labels.type} [${labels.shape.join(', ')}]`,
    );
  }
  const values = Float32Array.from(images.values, (v) => v / 255);
  return dataSet(values, n, height * width, {
    imageShape: [height, width],
    scaling: PIXEL_SCALING,
    ...(labels === undefined ? {} : { labels: labels.values as Uint8Array }),
    ...(name === undefined ? {} : { name }),
  });
}
