/**
 * Sample files in three formats chosen by extension: `.npy` (NumPy, see npy.ts), `.csv` (a header `x0,x1,…` then one
 * row per sample) and `.json` (`{ "n", "d", "samples": [[…], …], "meta" }`; a bare array of rows is read too).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { openAtomicFile, writeFileAtomic } from './atomic-write.js';
import { FileError, InvalidFileError, UsageError } from './errors.js';
import { decodeNpy, encodeNpy, encodeNpyData, encodeNpyHeader, type NpyDtype } from './npy.js';
import { matrixRows, type SampleMatrix } from './sample-matrix.js';

/** The sample file formats, by extension. */
export type SampleFormat = 'npy' | 'csv' | 'json';

/** The formats in the order the help lists them. */
export const SAMPLE_FORMATS: readonly SampleFormat[] = Object.freeze(['npy', 'csv', 'json']);

/**
 * The format of a file name by its extension.
 *
 * @throws {@link UsageError} for any other extension.
 */
export function sampleFormatOf(path: string): SampleFormat {
  const extension = extname(path).toLowerCase().slice(1);
  if ((SAMPLE_FORMATS as readonly string[]).includes(extension)) return extension as SampleFormat;
  throw new UsageError(
    `cannot tell the format of '${path}': use a file name ending in .npy (NumPy), .csv or .json`,
    { path },
  );
}

/** Shortest decimal that reads back as the same float32 (CSV stays small and exact). */
export function float32Text(value: number): string {
  const target = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const text = target.toPrecision(digits);
    if (Math.fround(Number(text)) === target) return String(Number(text));
  }
  return String(Number(target.toPrecision(9)));
}

/** The CSV header line `x0,…,x{d−1}` (with its newline). */
export function csvHeader(d: number): string {
  return `${Array.from({ length: d }, (_, j) => `x${j}`).join(',')}\n`;
}

/** The CSV lines of a matrix's rows, each ending in a newline (float32: shortest exact decimals). */
export function encodeCsvRows(matrix: SampleMatrix): string {
  const format = matrix.values instanceof Float64Array ? (v: number) => String(v) : float32Text;
  const lines: string[] = [];
  for (let i = 0; i < matrix.n; i++) {
    const row: string[] = [];
    for (let j = 0; j < matrix.d; j++) row.push(format(matrix.values[i * matrix.d + j]!));
    lines.push(`${row.join(',')}\n`);
  }
  return lines.join('');
}

/** The CSV text of a matrix: a header `x0,…,x{d−1}` and one line per row. */
export function encodeCsv(matrix: SampleMatrix): string {
  return csvHeader(matrix.d) + encodeCsvRows(matrix);
}

/**
 * Parses CSV samples: comma-separated numbers, one sample per line; a first line of names only is a header;
 * blank lines are skipped.
 *
 * @throws {@link InvalidFileError} (exit 2) naming the line and column of a value that is not a number, or a row of
 *   the wrong length.
 */
export function decodeCsv(text: string, name = 'input'): SampleMatrix {
  const lines = text.split(/\r?\n/);
  const values: number[] = [];
  let d = -1;
  let n = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((cell) => cell.trim());
    const isHeader = cells.every((cell) => cell !== '' && Number.isNaN(Number(cell)) && !/^nan$/i.test(cell));
    if (n === 0 && d === -1 && isHeader) {
      d = cells.length; // header
      return;
    }
    if (d !== -1 && cells.length !== d) {
      throw new InvalidFileError(
        `${name}: line ${index + 1} has ${cells.length} values, expected ${d} (like the first line)`,
      );
    }
    d = cells.length;
    cells.forEach((cell, column) => {
      const value = cell === '' ? Number.NaN : Number(cell);
      if (Number.isNaN(value) && !/^nan$/i.test(cell)) {
        throw new InvalidFileError(
          `${name}: line ${index + 1}, column ${column + 1}: '${cell}' is not a number`,
        );
      }
      values.push(value);
    });
    n += 1;
  });
  if (n === 0) throw new InvalidFileError(`${name} holds no samples (no numeric rows)`);
  return { n, d, values: Float64Array.from(values) };
}

/** The JSON text of a matrix with optional metadata (sampler, NFE, seed…). */
export function encodeJson(matrix: SampleMatrix, meta: Readonly<Record<string, unknown>> = {}): string {
  return `${JSON.stringify({ n: matrix.n, d: matrix.d, meta, samples: matrixRows(matrix) })}\n`;
}

/**
 * Parses JSON samples: `{ "samples": [[…], …] }` (as written here) or a bare array of rows.
 *
 * @throws {@link InvalidFileError} (exit 2) when the JSON is invalid or the rows are not equal-length arrays of numbers.
 */
export function decodeJson(text: string, name = 'input'): SampleMatrix {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new InvalidFileError(`${name} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const rows = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' &&
        parsed !== null &&
        Array.isArray((parsed as { samples?: unknown }).samples)
      ? (parsed as { samples: unknown[] }).samples
      : undefined;
  if (rows === undefined || rows.length === 0) {
    throw new InvalidFileError(
      `${name}: expected a non-empty array of rows, or an object with a "samples" array of rows`,
    );
  }
  const d = Array.isArray(rows[0]) ? rows[0].length : -1;
  const values = new Float64Array(rows.length * Math.max(d, 0));
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d || d === 0) {
      throw new InvalidFileError(
        `${name}: samples[${i}] must be an array of ${d > 0 ? d : 'one or more'} numbers`,
      );
    }
    row.forEach((value, j) => {
      if (typeof value !== 'number') {
        throw new InvalidFileError(`${name}: samples[${i}][${j}] is ${JSON.stringify(value)}, not a number`);
      }
      values[i * d + j] = value;
    });
  });
  return { n: rows.length, d, values };
}

/**
 * Writes samples to `path` in the format of its extension, atomically (temporary file, then rename).
 *
 * @throws {@link UsageError} for an unknown extension; {@link FileError} when the file cannot be written.
 */
export async function writeSampleFile(
  path: string,
  matrix: SampleMatrix,
  meta: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  const format = sampleFormatOf(path);
  const data =
    format === 'npy' ? encodeNpy(matrix) : format === 'csv' ? encodeCsv(matrix) : encodeJson(matrix, meta);
  await writeFileAtomic(path, data);
}

/**
 * Reads samples from `path` in the format of its extension.
 *
 * @throws {@link UsageError} for an unknown extension; {@link FileError} (exit 4) when the file cannot be read;
 *   {@link InvalidFileError} (exit 2) when it is malformed.
 */
export async function readSampleFile(path: string): Promise<SampleMatrix> {
  const format = sampleFormatOf(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new FileError(`cannot read ${path}: ${reason}`, { details: { path }, cause });
  }
  if (format === 'npy') return decodeNpy(bytes, path);
  const text = new TextDecoder().decode(bytes);
  return format === 'csv' ? decodeCsv(text, path) : decodeJson(text, path);
}

/**
 * Checks that samples can be streamed to `path` (.npy or .csv): a .json file is one JSON value, written whole.
 *
 * @throws {@link UsageError} for .json (and unknown extensions), saying what to use instead.
 */
export function assertStreamable(path: string): void {
  if (sampleFormatOf(path) === 'json') {
    throw new UsageError(
      `cannot stream to ${path}: a .json file is written whole, holding every row in memory; ` +
        'write .npy or .csv with --chunk (or drop --chunk for .json)',
      { path },
    );
  }
}

/** A sample file written chunk by chunk (see {@link openSampleFileStream}). */
export interface SampleFileStream {
  /** The destination. */
  readonly path: string;
  /** Rows written so far. */
  readonly rowsWritten: number;
  /** Appends the rows of `matrix` (its d must match). */
  write(matrix: SampleMatrix): Promise<void>;
  /** Checks that all n rows were written, then renames the file into place. */
  commit(): Promise<void>;
  /** Removes the temporary file: nothing is left at `path`. */
  abort(): Promise<void>;
}

/**
 * Opens `path` (.npy or .csv) for an [n, d] array written chunk by chunk: the .npy header for the final shape (or
 * the CSV header) goes first, then each chunk's rows are appended, so the memory held is one chunk, and the bytes
 * equal those {@link writeSampleFile} writes for the whole matrix. The file is written under a temporary name and
 * renamed by `commit` (atomic, as every output).
 *
 * @throws {@link UsageError} for .json; {@link FileError} when the file cannot be written.
 */
export async function openSampleFileStream(
  path: string,
  shape: { readonly n: number; readonly d: number; readonly dtype?: NpyDtype },
): Promise<SampleFileStream> {
  assertStreamable(path);
  const format = sampleFormatOf(path);
  const { n, d } = shape;
  const dtype = shape.dtype ?? 'float32';
  const file = await openAtomicFile(path);
  let rowsWritten = 0;
  try {
    await file.write(format === 'npy' ? encodeNpyHeader(n, d, dtype) : csvHeader(d));
  } catch (error) {
    await file.abort();
    throw error;
  }
  return {
    path,
    get rowsWritten() {
      return rowsWritten;
    },
    async write(matrix) {
      if (matrix.d !== d || rowsWritten + matrix.n > n) {
        throw new UsageError(
          `${path}: a chunk of ${matrix.n} × ${matrix.d} does not fit the ${n} × ${d} file (${rowsWritten} rows written)`,
        );
      }
      const values =
        dtype === 'float32' && !(matrix.values instanceof Float32Array)
          ? { ...matrix, values: Float32Array.from(matrix.values) }
          : matrix;
      await file.write(format === 'npy' ? encodeNpyData(values, dtype) : encodeCsvRows(values));
      rowsWritten += matrix.n;
    },
    async commit() {
      if (rowsWritten !== n) {
        await file.abort();
        throw new FileError(
          `${path}: only ${rowsWritten} of ${n} rows were written; the file was not created`,
        );
      }
      await file.commit();
    },
    abort: () => file.abort(),
  };
}
