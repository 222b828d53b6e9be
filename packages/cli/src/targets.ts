/**
 * The catalogue of built-in benchmark targets: Gaussian mixtures with exact scores (ALGORITHMS.md §3), each a plain
 * JSON mixture spec `{ weights, means, covariances }` that `rtk target NAME` prints and `parseMixtureSpec` accepts.
 * The first is the RTK paper's mixture experiment exactly as ALGORITHMS.md §7 gives it; the others are ours.
 */
import type { MixtureSpec } from '@rtk-diffusion/scores';
import { unknownNameError } from './errors.js';

/** A built-in target: a mixture spec and how to look at it. */
export interface TargetEntry {
  /** Stable name (`paper-mixture`, …). */
  readonly name: string;
  /** One line. */
  readonly title: string;
  /** What it tests. */
  readonly description: string;
  /** The mixture (a Gaussian is a one-component mixture). */
  readonly spec: MixtureSpec;
  /** The dimension d. */
  readonly dim: number;
  /** Coordinate (0-based) whose histogram the reports show, like the paper's Figure 1(b–f). */
  readonly sliceDimension: number;
  /** The two coordinates of the scatter plots. */
  readonly scatterDimensions: readonly [number, number];
}

/** The RTK paper's mixture (ALGORITHMS.md §7): components, spacing and variance. */
export const PAPER_MIXTURE = Object.freeze({
  /** d = 10. */
  dim: 10,
  /** 18 equal-weight components. */
  components: 18,
  /** Means every 20° on the unit circle in coordinates 1–2 (0-based 0 and 1), zero elsewhere. */
  angleDegrees: 20,
  /** Isotropic covariance 0.007·I. */
  variance: 0.007,
});

/** The paper's mixture: d = 10, 18 equal weights, means on the unit circle every 20° in coordinates 1–2, 0.007·I. */
export function paperMixtureSpec(): MixtureSpec {
  const { dim, components, angleDegrees, variance } = PAPER_MIXTURE;
  const means = Array.from({ length: components }, (_, k) => {
    const angle = (k * angleDegrees * Math.PI) / 180;
    return [Math.cos(angle), Math.sin(angle), ...new Array<number>(dim - 2).fill(0)];
  });
  return {
    weights: new Array<number>(components).fill(1 / components),
    means,
    covariances: new Array<number>(components).fill(variance),
  };
}

/**
 * A 2-D 5 × 5 grid of components at {−4, −2, 0, 2, 4}², variance 0.04 (σ = 0.2, so neighbours are 10σ apart),
 * with weights ∝ 2^{−(i+j)/2} for the component in column i and row j: from ≈ 12.7 % (bottom-left) down to ≈ 0.8 %
 * (top-right), so several modes have low probability.
 */
export function gridMixtureSpec(): MixtureSpec {
  const positions = [-4, -2, 0, 2, 4];
  const raw: number[] = [];
  const means: number[][] = [];
  positions.forEach((y, j) => {
    positions.forEach((x, i) => {
      raw.push(2 ** (-(i + j) / 2));
      means.push([x, y]);
    });
  });
  const total = raw.reduce((sum, w) => sum + w, 0);
  return { weights: raw.map((w) => w / total), means, covariances: new Array<number>(raw.length).fill(0.04) };
}

/** Correlation ρ^{|i−j|} (an AR(1) correlation matrix: positive definite for |ρ| < 1) scaled by standard deviations. */
function ar1Covariance(deviations: readonly number[], rho: number): number[][] {
  return deviations.map((si, i) => deviations.map((sj, j) => si * sj * rho ** Math.abs(i - j)));
}

/**
 * A 10-D mixture of 5 components with anisotropic, correlated full covariances: component k has standard deviations
 * sqrt(0.02 · 50^{((j + 2k) mod 10)/9}) (variances from 0.02 to 1, a different axis order per component) and
 * correlation ρ_k^{|i−j|} with ρ_k = ±0.5 alternating (eigenvalues 0.01 to 1.38); means ±2.5 on pairs of axes;
 * weights 0.3, 0.25, 0.2, 0.15, 0.1.
 */
export function anisotropicMixtureSpec(): MixtureSpec {
  const dim = 10;
  const weights = [0.3, 0.25, 0.2, 0.15, 0.1];
  const means = weights.map((_, k) => {
    const mean = new Array<number>(dim).fill(0);
    mean[(2 * k) % dim] = 2.5;
    mean[(2 * k + 1) % dim] = k % 2 === 0 ? -2.5 : 2.5;
    return mean;
  });
  const covariances = weights.map((_, k) => {
    const deviations = Array.from({ length: dim }, (_, j) =>
      Math.sqrt(0.02 * 50 ** (((j + 2 * k) % dim) / (dim - 1))),
    );
    return ar1Covariance(deviations, k % 2 === 0 ? 0.5 : -0.5);
  });
  return { weights, means, covariances };
}

/**
 * A correlated 100-D Gaussian: mean μ_j = ((j mod 5) − 2)/2, covariance s_i s_j 0.9^{|i−j|} with s_j from 0.5 to 1.5
 * (linearly): eigenvalues from 0.015 to 26.8 (condition number ≈ 1750), strongly correlated neighbours.
 */
export function correlatedGaussianSpec(): MixtureSpec {
  const dim = 100;
  const mean = Array.from({ length: dim }, (_, j) => ((j % 5) - 2) / 2);
  const deviations = Array.from({ length: dim }, (_, j) => 0.5 + j / (dim - 1));
  return { weights: [1], means: [mean], covariances: [ar1Covariance(deviations, 0.9)] };
}

function entry(
  name: string,
  title: string,
  description: string,
  spec: MixtureSpec,
  sliceDimension: number,
): TargetEntry {
  return Object.freeze({
    name,
    title,
    description,
    spec,
    dim: spec.means[0]!.length,
    sliceDimension,
    scatterDimensions: [0, 1] as const,
  });
}

/** The built-in targets by name. */
export const TARGETS: Readonly<Record<string, TargetEntry>> = Object.freeze({
  'paper-mixture': entry(
    'paper-mixture',
    "RTK paper's mixture (d = 10, 18 modes on a circle)",
    'ALGORITHMS.md §7: 18 equal-weight components every 20° on the unit circle in coordinates 1–2, covariance 0.007·I',
    paperMixtureSpec(),
    0,
  ),
  'grid-2d': entry(
    'grid-2d',
    '2-D 5×5 grid, unequal weights (d = 2)',
    '25 components σ = 0.2 on a grid of spacing 2, weights from 12.7 % down to 0.8 %: low-probability modes',
    gridMixtureSpec(),
    0,
  ),
  'anisotropic-10d': entry(
    'anisotropic-10d',
    '10-D mixture, anisotropic correlated covariances',
    '5 components with full covariances (variances 0.02 to 1, correlation ±0.5), unequal weights',
    anisotropicMixtureSpec(),
    0,
  ),
  'gaussian-100d': entry(
    'gaussian-100d',
    'Correlated 100-D Gaussian',
    'N(μ, Σ) with Σ_ij = s_i s_j 0.9^|i−j|, s from 0.5 to 1.5: high dimension, strong correlation',
    correlatedGaussianSpec(),
    0,
  ),
});

/** The built-in target names, in catalogue order. */
export const TARGET_NAMES: readonly string[] = Object.freeze(Object.keys(TARGETS));

/**
 * The built-in target `name`.
 *
 * @throws RtkError `E_UNKNOWN_NAME` suggesting the nearest name.
 */
export function getTarget(name: string): TargetEntry {
  const found = Object.hasOwn(TARGETS, name) ? TARGETS[name] : undefined;
  if (found !== undefined) return found;
  throw unknownNameError('target', name, TARGET_NAMES, {
    listTitle: 'Built-in targets:',
    hint: 'or give a path to a JSON mixture spec (.json)',
  });
}
