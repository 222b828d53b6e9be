/** Training data by name, for a command line (`rtk train --data NAME`) or a benchmark suite. */
import type { Rng } from '@rtk-diffusion/tensor';
import { createRng, RtkError } from '@rtk-diffusion/tensor';
import { type DataSet, dataRows } from '../neural/data.js';
import { TOY_DATA_NAMES, type ToyDataName, toyData } from '../neural/toy-data.js';
import { loadFashionMnist, loadMnistDigits } from './datasets.js';

/** The data set names {@link loadNamedData} knows: the image sets, then the toy sets. */
export const DATA_NAMES: readonly string[] = Object.freeze(['mnist', 'fashion-mnist', ...TOY_DATA_NAMES]);

/** Options of {@link loadNamedData}. */
export interface NamedDataOptions {
  /** Rows: toy sets draw this many (default 10 000); image sets keep at most this many. */
  readonly n?: number;
  /** The rng of the toy sets (default `createRng(0)`); image sets ignore it. */
  readonly rng?: Rng;
  /** Fashion-MNIST split (default `train`). */
  readonly split?: 'train' | 'test';
  /** Fashion-MNIST directory (default Debian's). */
  readonly dir?: string;
}

/** Default size of a toy set drawn by {@link loadNamedData}. */
export const DEFAULT_TOY_SIZE = 10_000;

/**
 * Loads `mnist`, `fashion-mnist`, `two-moons`, `swiss-roll` or `checkerboard`.
 *
 * @throws `RtkError` `E_UNKNOWN_NAME` for another name; `E_IO` when image files or the `mnist` package are missing.
 */
export async function loadNamedData(name: string, options: NamedDataOptions = {}): Promise<DataSet> {
  if ((TOY_DATA_NAMES as readonly string[]).includes(name)) {
    return toyData(name as ToyDataName, options.n ?? DEFAULT_TOY_SIZE, options.rng ?? createRng(0));
  }
  let data: DataSet;
  if (name === 'mnist') data = await loadMnistDigits();
  else if (name === 'fashion-mnist') {
    data = await loadFashionMnist({
      ...(options.split === undefined ? {} : { split: options.split }),
      ...(options.dir === undefined ? {} : { dir: options.dir }),
    });
  } else {
    throw new RtkError(
      'E_UNKNOWN_NAME',
      `unknown data set '${name}'; choose one of ${DATA_NAMES.join(', ')}`,
      {
        details: { name },
      },
    );
  }
  return options.n === undefined || options.n >= data.n ? data : dataRows(data, 0, options.n);
}
