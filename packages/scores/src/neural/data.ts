/**
 * Training data on the host: a data set of n rows of dimension d (images flattened row-major), optional labels, and
 * the affine data scaling that maps it into the space the network models.
 */
import { ValidationError } from '@rtk-diffusion/tensor';

/**
 * The scalar affine map between data space and model space: x_model = (x_data − shift) · scale. Images with pixels in
 * [0, 1] use { shift: 0.5, scale: 2 } (model space [−1, 1]). The diffusion, the score and every sampler live in model
 * space; samples go back with x_data = x_model / scale + shift.
 */
export interface DataScaling {
  readonly shift: number;
  readonly scale: number;
}

/** The identity scaling. */
export const IDENTITY_SCALING: DataScaling = Object.freeze({ shift: 0, scale: 1 });

/** Pixels in [0, 1] mapped to [−1, 1]. */
export const PIXEL_SCALING: DataScaling = Object.freeze({ shift: 0.5, scale: 2 });

/** A data set on the host. */
export interface DataSet {
  /** n × dim numbers, row-major. */
  readonly values: Float32Array;
  readonly n: number;
  readonly dim: number;
  /** One class label per row (0 … classes − 1), if the data has classes. */
  readonly labels?: Uint8Array;
  /** [height, width] when each row is an image. */
  readonly imageShape?: readonly [number, number];
  /** The scaling to model space this data is meant for (images: {@link PIXEL_SCALING}). */
  readonly scaling?: DataScaling;
  /** A short name for metadata and reports. */
  readonly name?: string;
}

/** Optional parts of a {@link DataSet}. */
export type DataSetExtras = Pick<DataSet, 'labels' | 'imageShape' | 'scaling' | 'name'>;

/**
 * Makes a checked {@link DataSet} from n × dim row-major values.
 *
 * @throws {@link ValidationError} when the sizes disagree, a value is not finite, or labels/image shape do not fit.
 */
export function dataSet(values: Float32Array, n: number, dim: number, extras: DataSetExtras = {}): DataSet {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(dim) || dim < 1) {
    throw new ValidationError(`dataSet: n and dim must be integers ≥ 1, got n = ${n}, dim = ${dim}`, {
      n,
      dim,
    });
  }
  if (values.length !== n * dim) {
    throw new ValidationError(`dataSet: expected n · dim = ${n * dim} values, got ${values.length}`, {
      n,
      dim,
      length: values.length,
    });
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new ValidationError(
      `dataSet: value ${bad} (row ${Math.floor(bad / dim)}) is not finite: ${values[bad]}`,
      { index: bad },
    );
  }
  if (extras.labels !== undefined && extras.labels.length !== n) {
    throw new ValidationError(`dataSet: expected ${n} labels, got ${extras.labels.length}`, { n });
  }
  if (extras.imageShape !== undefined && extras.imageShape[0] * extras.imageShape[1] !== dim) {
    throw new ValidationError(
      `dataSet: image shape ${extras.imageShape.join(' × ')} does not have dim = ${dim} pixels`,
      { dim },
    );
  }
  if (extras.scaling !== undefined) checkScaling(extras.scaling, 'dataSet');
  return { values, n, dim, ...extras };
}

/** Checks a scaling: finite shift, finite scale > 0. */
export function checkScaling(scaling: DataScaling, where: string): DataScaling {
  if (!Number.isFinite(scaling.shift) || !(scaling.scale > 0) || !Number.isFinite(scaling.scale)) {
    throw new ValidationError(
      `${where}: the data scaling needs a finite shift and a finite scale > 0, got shift = ${scaling.shift}, scale = ${scaling.scale}`,
      { ...scaling },
    );
  }
  return scaling;
}

/**
 * The standardising scaling of a data set: shift = the mean of all its values, scale = 1 / their standard deviation
 * (one pair for all coordinates, so the map stays isotropic and the noise model unchanged). Computed in float64.
 */
export function standardScaling(data: DataSet): DataScaling {
  let sum = 0;
  for (const v of data.values) sum += v;
  const mean = sum / data.values.length;
  let squares = 0;
  for (const v of data.values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / data.values.length);
  if (!(std > 0)) {
    throw new ValidationError('standardScaling: every value of the data set is the same; give a scaling', {
      mean,
    });
  }
  return { shift: mean, scale: 1 / std };
}

/**
 * A 32-bit FNV-1a hash of the float32 bits of the values and of the labels (hex), to tell whether two data sets are
 * the same (a resumed training run checks it).
 */
export function dataFingerprint(data: DataSet): string {
  let hash = 0x811c9dc5;
  const mix = (word: number) => {
    hash = Math.imul(hash ^ word, 0x01000193) >>> 0;
  };
  const words = new Uint32Array(data.values.buffer, data.values.byteOffset, data.values.length);
  for (const word of words) mix(word);
  for (const label of data.labels ?? []) mix(label);
  mix(data.n);
  mix(data.dim);
  return hash.toString(16).padStart(8, '0');
}

/** Rows [start, start + count) of a data set (labels follow), as a new data set. */
export function dataRows(data: DataSet, start: number, count: number): DataSet {
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(count) ||
    start < 0 ||
    count < 1 ||
    start + count > data.n
  ) {
    throw new ValidationError(`dataRows: rows [${start}, ${start + count}) are not inside 0…${data.n}`, {
      start,
      count,
    });
  }
  const { values: _, labels, n: __, ...rest } = data;
  return {
    ...rest,
    values: data.values.slice(start * data.dim, (start + count) * data.dim),
    n: count,
    ...(labels === undefined ? {} : { labels: labels.slice(start, start + count) }),
  };
}
