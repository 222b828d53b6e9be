/**
 * Turning `--target NAME|spec.json` into an exact score model: a built-in name from the catalogue, or a JSON file
 * holding a mixture spec `{ weights, means, covariances }` or a Gaussian `{ mean, covariance }`, validated by
 * `@rtk-diffusion/scores` (zod) so that an invalid file is reported field by field.
 */
import { readFile } from 'node:fs/promises';
import {
  type ExactScoreModel,
  gaussianModel,
  type MixtureSpec,
  mixtureModel,
  parseGaussianSpec,
  parseMixtureSpec,
} from '@rtk-diffusion/scores';
import { isRtkError, ValidationError } from '@rtk-diffusion/tensor';
import { FileError } from './errors.js';
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
 * @throws RtkError `E_UNKNOWN_NAME` for an unknown name (with a suggestion); {@link FileError} when the file cannot be
 *   read or is not JSON; ValidationError when the spec is invalid (naming the field).
 */
export async function resolveTarget(argument: string): Promise<ResolvedTarget> {
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
    throw new FileError(`target spec ${argument} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return targetFromSpec(argument, parseTargetSpec(json, argument));
}
