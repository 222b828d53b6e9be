/**
 * Turning `--target NAME|spec.json|DIR` into a score model: a built-in name from the catalogue, or a JSON file
 * holding a mixture spec `{ weights, means, covariances }` or a Gaussian `{ mean, covariance }`, validated by
 * `@rtk-diffusion/scores` (zod) so that an invalid file is reported field by field (`resolveTarget`: exact targets,
 * with ground truth); or, for sampling only, a directory written by `rtk train` holding a trained score network
 * (`resolveSampleTarget`). The network code (TensorFlow.js layers) loads only when a directory is given.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ExactScoreModel,
  gaussianModel,
  type MixtureSpec,
  mixtureModel,
  parseGaussianSpec,
  parseMixtureSpec,
} from '@rtk-diffusion/scores';
import type { ScoreNetwork } from '@rtk-diffusion/scores/neural';
import { isRtkError, tf, ValidationError } from '@rtk-diffusion/tensor';
import { FileError, InvalidFileError, UsageError } from './errors.js';
import { matrixFromTensor, type SampleMatrix, tensorFromMatrix } from './sample-matrix.js';
import { getTarget, TARGETS, type TargetEntry } from './targets.js';

/** A target ready to sample and evaluate against. */
export interface ResolvedTarget {
  /** The catalogue name, or the file path. */
  readonly name: string;
  /** The validated mixture. */
  readonly spec: MixtureSpec;
  /** Exact scores, log-densities, curvature bound and ground-truth samples. */
  readonly model: ExactScoreModel;
  /** The catalogue entry (built-in targets), with the coordinates to plot; for files, defaults. */
  readonly entry: TargetEntry;
}

/** True when the argument names a file rather than a catalogue entry (it ends in .json or contains a path separator). */
export function looksLikePath(argument: string): boolean {
  return /\.json$/i.test(argument) || argument.includes('/') || argument.includes('\\');
}

/**
 * Parses a target spec (already read from JSON): a mixture `{ weights, means, covariances }` or a Gaussian
 * `{ mean, covariance }` (returned as a one-component mixture).
 *
 * @param source - where it came from, for the error message.
 * @throws ValidationError naming every invalid field (`covariances[2]: …`).
 */
export function parseTargetSpec(json: unknown, source: string): MixtureSpec {
  const isGaussian = typeof json === 'object' && json !== null && 'mean' in json && !('means' in json);
  try {
    if (!isGaussian) return parseMixtureSpec(json);
    const { mean, covariance } = parseGaussianSpec(json);
    return { weights: [1], means: [mean], covariances: [covariance] };
  } catch (error) {
    if (isRtkError(error)) {
      throw new ValidationError(`${source}: ${error.message}`, { source, ...(error.details ?? {}) });
    }
    throw error;
  }
}

/** Builds the resolved target of a validated spec (one component: the Gaussian model, which needs no log-sum-exp). */
export function targetFromSpec(name: string, spec: MixtureSpec, entry?: TargetEntry): ResolvedTarget {
  const dim = spec.means[0]!.length;
  return {
    name,
    spec,
    model:
      spec.weights.length === 1
        ? gaussianModel({ mean: spec.means[0]!, covariance: spec.covariances[0]! })
        : mixtureModel(spec),
    entry: entry ?? {
      name,
      title: name,
      description: `mixture of ${spec.weights.length} component(s) in d = ${dim}`,
      spec,
      dim,
      sliceDimension: 0,
      scatterDimensions: [0, Math.min(1, dim - 1)] as const,
    },
  };
}

/**
 * Resolves `--target`: a built-in name (see `rtk list`) or a path to a JSON spec file.
 *
 * @throws RtkError `E_UNKNOWN_NAME` for an unknown name (with a suggestion); {@link FileError} (exit 4) when the file
 *   cannot be read; {@link InvalidFileError} (exit 2) when it is not JSON; ValidationError (exit 2) when the spec is
 *   invalid (naming the field).
 */
export async function resolveTarget(argument: string): Promise<ResolvedTarget> {
  if (!Object.hasOwn(TARGETS, argument) && (await isDirectory(argument))) {
    await checkNetworkDirectory(argument);
    throw new UsageError(
      `${argument} is a trained score network: it has no ground truth (no exact density, no exact samples), so it ` +
        'cannot be the target of rtk eval or rtk bench (rtk eval takes no reference file). Evaluate against an exact ' +
        `target (a built-in name or a JSON spec); draw samples from the network with rtk sample --target ${argument}`,
      { path: argument },
    );
  }
  if (!looksLikePath(argument) || Object.hasOwn(TARGETS, argument)) {
    const entry = getTarget(argument);
    return targetFromSpec(entry.name, entry.spec, entry);
  }
  let text: string;
  try {
    text = await readFile(argument, 'utf8');
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new FileError(`cannot read target spec ${argument}: ${reason}`, {
      details: { path: argument },
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InvalidFileError(`target spec ${argument} is not valid JSON: ${(cause as Error).message}`, {
      details: { path: argument },
      cause,
    });
  }
  return targetFromSpec(argument, parseTargetSpec(json, argument));
}

/** Score-network metadata file name in a directory written by `rtk train` (`NETWORK_FILES.scoreMetadata`). */
const NETWORK_METADATA = 'rtk-network.json';
/** Classifier metadata file name (`NETWORK_FILES.classifierMetadata`). */
const CLASSIFIER_METADATA = 'rtk-classifier.json';

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

/**
 * Checks that a directory holds a score network.
 *
 * @throws {@link InvalidFileError} (`E_VALIDATION`, exit 2) naming what is there instead.
 */
async function checkNetworkDirectory(dir: string): Promise<void> {
  const has = async (name: string) => (await stat(join(dir, name)).catch(() => undefined)) !== undefined;
  if (await has(NETWORK_METADATA)) return;
  const what = (await has(CLASSIFIER_METADATA))
    ? `holds a classifier (${CLASSIFIER_METADATA}), not a score network`
    : `holds no ${NETWORK_METADATA}`;
  throw new InvalidFileError(
    `--target ${dir} is a directory that ${what}: give a built-in target name, a JSON spec file, or a directory written by rtk train`,
    { details: { path: dir } },
  );
}

/** A trained score network as the target of `rtk sample`: a directory written by `rtk train`. */
export interface NetworkTarget {
  readonly kind: 'network';
  /** The directory. */
  readonly name: string;
  /** The network: a `ScoreModel` in model space (no log-density, no ground truth). */
  readonly model: ScoreNetwork;
  /** The data dimension. */
  readonly dim: number;
  /** Maps samples from model space (where the sampler ran) back to data space: x / scale + shift. */
  toData(samples: SampleMatrix): Promise<SampleMatrix>;
  /** Frees the weights. */
  dispose(): void;
}

/** What `rtk sample` can draw from: an exact target, or a trained network. */
export type SampleTarget = ResolvedTarget | NetworkTarget;

/** True when the target is a trained network (its samples need {@link NetworkTarget.toData}). */
export function isNetworkTarget(target: SampleTarget): target is NetworkTarget {
  return (target as Partial<NetworkTarget>).kind === 'network';
}

/**
 * Loads the score network in `dir` (written by `rtk train`). Start the compute backend first: the weights are
 * tensors of the current backend.
 *
 * @throws {@link FileError} (`E_IO`) when `dir` does not exist or a file is missing; {@link InvalidFileError} when it
 *   holds no network; ValidationError for bad metadata.
 */
export async function loadNetworkTarget(dir: string): Promise<NetworkTarget> {
  if (!(await isDirectory(dir))) {
    throw new FileError(`cannot load a network from ${dir}: no such directory`, { details: { path: dir } });
  }
  await checkNetworkDirectory(dir);
  const { loadScoreNetwork } = await import('@rtk-diffusion/scores/node');
  const network = await loadScoreNetwork(dir);
  return {
    kind: 'network',
    name: dir,
    model: network,
    dim: network.dim,
    async toData(samples) {
      const x = tf.tidy(() => network.toData(tensorFromMatrix(samples)));
      try {
        return await matrixFromTensor(x);
      } finally {
        x.dispose();
      }
    },
    dispose: () => network.dispose(),
  };
}

/**
 * Resolves `--target` for sampling: like {@link resolveTarget}, and a directory written by `rtk train` loads its
 * score network (start the backend first).
 */
export async function resolveSampleTarget(argument: string): Promise<SampleTarget> {
  if (!Object.hasOwn(TARGETS, argument) && (await isDirectory(argument))) return loadNetworkTarget(argument);
  return resolveTarget(argument);
}
