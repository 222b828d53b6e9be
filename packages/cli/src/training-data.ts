/**
 * Training data for `rtk train --data NAME|FILE`: a named set of `@rtk-diffusion/scores/node` (`mnist`,
 * `fashion-mnist`, `two-moons`, `swiss-roll`, `checkerboard`), a file of rows in one of the sample-file formats
 * (.npy, .csv, .json), or an IDX file (MNIST format, gzipped or not) with an optional IDX labels file.
 */
import { access, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type DataSet, dataRows, dataSet, idxImages } from '@rtk-diffusion/scores/neural';
import { DATA_NAMES, loadNamedData, readIdxFile } from '@rtk-diffusion/scores/node';
import { createRng, isRtkError, RtkError } from '@rtk-diffusion/tensor';
import { closest } from 'fastest-levenshtein';
import { FileError, UsageError } from './errors.js';
import { readSampleFile } from './sample-files.js';

/** Options of {@link loadTrainingData}. */
export interface TrainingDataOptions {
  /** Keep the first `n` rows (toy sets: draw `n` rows; default 10 000). */
  readonly n?: number;
  /** Seed of the toy sets' draws (`createRng(seed).fork('data')`); default 0. */
  readonly seed?: number;
  /** An IDX labels file for an IDX images file (default: the sibling `…labels-idx1-ubyte[.gz]` when present). */
  readonly labels?: string;
}

const ROW_FILE = /\.(npy|csv|json)$/i;

/** True when the argument is meant as a file: it has a known extension or a path separator. */
function looksLikeFile(argument: string): boolean {
  return ROW_FILE.test(argument) || /idx\d-ubyte|\.gz$|\.idx$/i.test(argument) || /[/\\]/.test(argument);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The labels file beside an IDX images file (`train-images-idx3-ubyte.gz` → `train-labels-idx1-ubyte.gz`). */
async function siblingLabels(path: string): Promise<string | undefined> {
  const name = basename(path);
  if (!/images-idx3-ubyte/.test(name)) return undefined;
  const candidate = join(dirname(path), name.replace('images-idx3-ubyte', 'labels-idx1-ubyte'));
  return (await exists(candidate)) ? candidate : undefined;
}

async function loadFile(path: string, options: TrainingDataOptions): Promise<DataSet> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new FileError(`cannot read training data ${path}: no such file`, { details: { path } });
  }
  if (!info.isFile()) {
    throw new FileError(`training data ${path} is not a file`, { details: { path } });
  }
  if (ROW_FILE.test(path)) {
    if (options.labels !== undefined) {
      throw new UsageError(`--labels goes with an IDX images file, not with rows in ${basename(path)}`);
    }
    const matrix = await readSampleFile(path);
    return dataSet(Float32Array.from(matrix.values), matrix.n, matrix.d, { name: basename(path) });
  }
  const labelsPath = options.labels ?? (await siblingLabels(path));
  let images: Awaited<ReturnType<typeof readIdxFile>>;
  try {
    images = await readIdxFile(path);
  } catch (error) {
    if (!isRtkError(error, 'E_VALIDATION')) throw error;
    throw new UsageError(
      `${path}: ${error.message}; --data takes rows in a .npy, .csv or .json file, or an IDX (MNIST-format) file`,
    );
  }
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    throw new UsageError(
      `${path}: expected an IDX file of uint8 images [n, height, width], got ${images.type} [${images.shape.join(', ')}]; ` +
        'rows of numbers go in a .npy, .csv or .json file',
    );
  }
  const labels = labelsPath === undefined ? undefined : await readIdxFile(labelsPath);
  return idxImages(images, labels, basename(path));
}

/**
 * Loads `--data`: a name of {@link DATA_NAMES}, a .npy/.csv/.json file of rows, or an IDX images file; keeps the first
 * `n` rows.
 *
 * @throws RtkError `E_UNKNOWN_NAME` for an unknown name (with the nearest one); {@link FileError} (`E_IO`) for a
 *   missing or unreadable file or data set; ValidationError for non-finite values or mismatched labels.
 */
export async function loadTrainingData(
  argument: string,
  options: TrainingDataOptions = {},
): Promise<DataSet> {
  if (options.labels !== undefined && DATA_NAMES.includes(argument)) {
    throw new UsageError(`--labels goes with an IDX images file; '${argument}' has its own labels`);
  }
  if (DATA_NAMES.includes(argument)) {
    return loadNamedData(argument, {
      ...(options.n === undefined ? {} : { n: options.n }),
      rng: createRng(options.seed ?? 0).fork('data'),
    });
  }
  if (!looksLikeFile(argument) && !(await exists(argument))) {
    const suggestion = closest(argument, [...DATA_NAMES]);
    throw new RtkError(
      'E_UNKNOWN_NAME',
      `Unknown data set '${argument}'. Did you mean '${suggestion}'? Data sets: ${DATA_NAMES.join(', ')}; ` +
        'or give a file: rows in .npy, .csv or .json, or an IDX (MNIST-format) images file',
      { details: { name: argument, suggestion } },
    );
  }
  const data = await loadFile(argument, options);
  return options.n === undefined || options.n >= data.n ? data : dataRows(data, 0, options.n);
}
