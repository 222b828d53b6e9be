/**
 * NumPy's `.npy` format (format versions 1.0, 2.0 and 3.0; numpy.lib.format): a magic string, a little header that is
 * a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }`, then the raw array. We write
 * version 1.0, little-endian float32 or float64, C order, with NumPy's own header layout (spare room for the row
 * count, data on a 64-byte boundary), so our bytes equal `np.save`'s. We read 1-D and 2-D arrays of float, signed
 * and unsigned integer dtypes in either byte order and either memory order.
 */
import { InvalidFileError } from './errors.js';
import type { SampleMatrix } from './sample-matrix.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** NumPy aligns the start of the data to this many bytes. */
const ALIGNMENT = 64;
/** numpy.lib.format.GROWTH_AXIS_MAX_DIGITS: NumPy leaves room in the header for the row count to grow to 21 digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/** The dtype of a `.npy` file we write: `<f4` or `<f8`. */
export type NpyDtype = 'float32' | 'float64';

/**
 * The header of a `.npy` file (version 1.0, C order) for an [n, d] array of `dtype`: magic, version, length and the
 * dict, padded as NumPy pads it, so that the data follow on a 64-byte boundary. Streaming writers put it first and
 * append the rows ({@link encodeNpyData}); the result equals {@link encodeNpy} of the whole matrix.
 */
export function encodeNpyHeader(n: number, d: number, dtype: NpyDtype): Uint8Array {
  const descr = dtype === 'float64' ? '<f8' : '<f4';
  // NumPy's header: the dict, then spare room for the growth axis to reach GROWTH_AXIS_MAX_DIGITS digits, then
  // spaces to align, then '\n': magic (6) + version (2) + header length (2) + header ≡ 0 (mod 64).
  const dict =
    `{'descr': '${descr}', 'fortran_order': False, 'shape': (${n}, ${d}), }` +
    ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(n).length));
  const unpadded = 10 + dict.length + 1;
  const padding = (ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT;
  const header = `${dict}${' '.repeat(padding)}\n`;
  const bytes = new Uint8Array(10 + header.length);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  return bytes;
}

/** The data bytes of a `.npy` file for `matrix`'s values: little-endian `dtype`, C order (rows one after another). */
export function encodeNpyData(matrix: SampleMatrix, dtype: NpyDtype): Uint8Array {
  const itemSize = dtype === 'float64' ? 8 : 4;
  const count = matrix.n * matrix.d;
  const bytes = new Uint8Array(count * itemSize);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < count; k++) {
    const value = matrix.values[k]!;
    if (itemSize === 8) view.setFloat64(8 * k, value, true);
    else view.setFloat32(4 * k, value, true);
  }
  return bytes;
}

/** The dtype {@link encodeNpy} writes for a matrix: float64 for Float64Array values, else float32. */
export function npyDtypeOf(matrix: SampleMatrix): NpyDtype {
  return matrix.values instanceof Float64Array ? 'float64' : 'float32';
}

/**
 * The bytes of a `.npy` file (version 1.0, C order) holding `matrix` as an [n, d] array of dtype `<f4` (Float32Array
 * values) or `<f8` (Float64Array values, or when `dtype: 'float64'`).
 */
export function encodeNpy(matrix: SampleMatrix, options: { readonly dtype?: NpyDtype } = {}): Uint8Array {
  const dtype = options.dtype ?? npyDtypeOf(matrix);
  const header = encodeNpyHeader(matrix.n, matrix.d, dtype);
  const data = encodeNpyData(matrix, dtype);
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header, 0);
  bytes.set(data, header.length);
  return bytes;
}

interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
}

/**
 * Reads the bytes of a `.npy` file into an [n, d] matrix (a 1-D array of length n is read as [n, 1]). Float32 data
 * stay Float32Array; every other dtype becomes Float64Array.
 *
 * @param name - the file name, for error messages.
 * @throws {@link InvalidFileError} (code `E_VALIDATION`, exit 2) when the bytes are not a `.npy` file, the dtype is not numeric (object,
 *   string, complex, bool) or the array is not 1-D or 2-D.
 */
export function decodeNpy(bytes: Uint8Array, name = 'input'): SampleMatrix {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new InvalidFileError(
      `${name} is not a .npy file (it does not start with the NumPy magic string \\x93NUMPY)`,
    );
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new InvalidFileError(
      `${name}: unsupported .npy format version ${major}.${bytes[7]} (1.0 to 3.0 are supported)`,
    );
  }
  if (headerStart + headerLength > bytes.length) {
    throw new InvalidFileError(`${name}: truncated .npy header`);
  }
  const headerBytes = bytes.subarray(headerStart, headerStart + headerLength);
  const headerText = major === 3 ? new TextDecoder().decode(headerBytes) : latin1(headerBytes);
  const header = parseHeader(headerText, name);
  const [n, d] = shape2d(header.shape, name);
  const { read, size, float32 } = reader(header.descr, name);
  const dataStart = headerStart + headerLength;
  const count = n * d;
  if (bytes.length - dataStart < count * size) {
    throw new InvalidFileError(
      `${name}: truncated .npy data: the header promises ${count} values of ${size} bytes, the file has ${bytes.length - dataStart} bytes after the header`,
    );
  }
  const values = float32 ? new Float32Array(count) : new Float64Array(count);
  for (let k = 0; k < count; k++) {
    // C order: element (i, j) at k = i·d + j. Fortran order: element (i, j) at j·n + i.
    const target = header.fortranOrder ? (k % n) * d + Math.floor(k / n) : k;
    values[target] = read(view, dataStart + k * size);
  }
  return { n, d, values };
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** Parses the header dict: only the three keys NumPy writes, in any order. */
function parseHeader(text: string, name: string): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new InvalidFileError(`${name}: malformed .npy header ${JSON.stringify(text.trim())}`);
  }
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => Number(part.replace(/L$/, '')));
  if (shape.some((size) => !Number.isInteger(size) || size < 0)) {
    throw new InvalidFileError(`${name}: malformed shape (${shapeText}) in the .npy header`);
  }
  return { descr, fortranOrder: fortran === 'True', shape };
}

function shape2d(shape: readonly number[], name: string): [number, number] {
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  if (shape.length === 1) return [shape[0]!, 1];
  throw new InvalidFileError(
    `${name}: expected a 2-D array of samples [n, d] (or 1-D [n]), got shape (${shape.join(', ')}); reshape it in NumPy first`,
  );
}

type Read = (view: DataView, offset: number) => number;

/** How to read one value of a dtype string such as `<f4`, `>f8`, `<i8`, `|u1`. */
function reader(descr: string, name: string): { read: Read; size: number; float32: boolean } {
  const match = /^([<>|=])([fiu])(\d+)$/.exec(descr);
  if (match === null) {
    throw new InvalidFileError(
      `${name}: unsupported .npy dtype '${descr}'; samples must be a float or integer array (e.g. np.float32)`,
    );
  }
  const little = match[1] !== '>';
  const kind = match[2]!;
  const size = Number(match[3]);
  const key = `${kind}${size}`;
  const reads: Record<string, Read> = {
    f4: (v, o) => v.getFloat32(o, little),
    f8: (v, o) => v.getFloat64(o, little),
    i1: (v, o) => v.getInt8(o),
    i2: (v, o) => v.getInt16(o, little),
    i4: (v, o) => v.getInt32(o, little),
    i8: (v, o) => Number(v.getBigInt64(o, little)),
    u1: (v, o) => v.getUint8(o),
    u2: (v, o) => v.getUint16(o, little),
    u4: (v, o) => v.getUint32(o, little),
    u8: (v, o) => Number(v.getBigUint64(o, little)),
  };
  const read = reads[key];
  if (read === undefined) {
    throw new InvalidFileError(
      `${name}: unsupported .npy dtype '${descr}' (float16 and wider types are not supported)`,
    );
  }
  return { read, size, float32: key === 'f4' };
}
