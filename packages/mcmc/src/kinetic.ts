/**
 * Pieces shared by the kinetic (underdamped) Langevin kernels `uld` and `baoab`: a state with positions, velocities
 * (unit mass) and the cached gradient; v0 ~ N(0, I); and the per-step summary (divergences, kinetic energy).
 */
import { type Rng, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { checkPosition, gradAt } from './target.js';
import { nonFiniteRows, readScalars, tidy } from './tensors.js';
import type { KernelInfo, KernelState, Target } from './types.js';

/** State of a kinetic Langevin kernel. */
export interface KineticState extends KernelState {
  readonly x: Tensor2D;
  /** Velocities (= momenta, unit mass), [n, d]. */
  readonly v: Tensor2D;
  /** ∇ log π(x), [n, d]. */
  readonly grad: Tensor2D;
}

/** Diagnostics of a kinetic Langevin step. */
export interface KineticInfo extends KernelInfo {
  /** Mean over chains of ½‖v‖² after the step; d/2 at equilibrium. */
  readonly kineticEnergy: number;
}

/** The first state: x (cloned), v0 ~ N(0, I) from `rng.fork('velocity')`, and ∇log π(x). One gradient. */
export function initKinetic(kernel: string, x: Tensor2D, target: Target, rng: Rng): KineticState {
  checkPosition(kernel, x, target);
  const [n, d] = x.shape;
  return tidy(() => ({ x: tf.clone(x), v: rng.fork('velocity').normal([n, d]), grad: gradAt(target, x) }));
}

/** Divergences (rows of x or v not finite) and mean kinetic energy, read in one synchronisation. */
export function kineticSummary(state: KineticState): { divergences: number; kineticEnergy: number } {
  const [divergences, kineticEnergy] = readScalars([
    nonFiniteRows(tf.concat([state.x, state.v], 1) as Tensor2D),
    tf.mul(tf.mean(tf.sum(tf.square(state.v), 1)), 0.5),
  ]);
  return { divergences: divergences!, kineticEnergy: kineticEnergy! };
}
