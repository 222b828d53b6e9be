/**
 * BAOAB splitting of underdamped Langevin dynamics (Leimkuhler & Matthews, "Rational construction of stochastic
 * numerical methods for molecular sampling", AMRX 2013; ALGORITHMS.md §4), unit mass, friction γ, step h, η = e^{−γh}:
 *   B: v ← v + (h/2) ∇log π(x)      A: x ← x + (h/2) v
 *   O: v ← η v + sqrt(1 − η²) ξ      A: x ← x + (h/2) v      B: v ← v + (h/2) ∇log π(x)
 * The second B's gradient is cached for the next step's first B: one gradient per step. Its configurational (x) bias
 * is O(h²), and on a Gaussian target the x-marginal of its stationary law is exact for every γ and every stable h
 * (h < 2/sqrt(λ_max of the precision)); the velocities are biased.
 */
import { type Rng, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { initKinetic, type KineticInfo, type KineticState, kineticSummary } from './kinetic.js';
import { checkPositive, checkStepSize, stepSizeTensors } from './step-size.js';
import { checkPosition, gradAt } from './target.js';
import { disposeTensors, tidy } from './tensors.js';
import type { Evaluations, Kernel, StepSize, Target } from './types.js';

/** State of {@link baoab}: positions, velocities, gradient. */
export type BaoabState = KineticState;

/** Diagnostics of a {@link baoab} step (with the mean kinetic energy). */
export type BaoabInfo = KineticInfo;

/** Options of {@link baoab}. */
export interface BaoabOptions {
  /** Time step h > 0: one number, or one per chain. Stable for h < 2/sqrt(curvature). */
  readonly stepSize: StepSize;
  /** Friction γ > 0. */
  readonly friction: number;
}

const EVALUATIONS: Evaluations = Object.freeze({ grad: 1, logDensity: 0 });

/** Underdamped Langevin by the BAOAB splitting; time step h, friction γ. */
export function baoab(options: BaoabOptions): Kernel<BaoabState, BaoabInfo> {
  const stepSize = checkStepSize('baoab', options?.stepSize);
  const friction = checkPositive('baoab', 'friction', options.friction);
  return {
    name: 'baoab',
    evaluationsPerInit: EVALUATIONS,
    evaluationsPerStep: EVALUATIONS,
    needsLogDensity: false,
    init(x: Tensor2D, target: Target, rng: Rng): { state: BaoabState; evaluations: Evaluations } {
      return { state: initKinetic('baoab', x, target, rng), evaluations: EVALUATIONS };
    },
    step(state: BaoabState, target: Target, rng: Rng): { state: BaoabState; info: BaoabInfo } {
      const [n, d] = checkPosition('baoab', state.x, target, 'state.x').shape;
      return tidy(() => {
        const c = stepSizeTensors('baoab', stepSize, n, (h) => ({
          half: h / 2,
          eta: Math.exp(-friction * h),
          noise: Math.sqrt(-Math.expm1(-2 * friction * h)),
        }));
        const vB = tf.add(state.v, tf.mul(c.half, state.grad));
        const xA = tf.add(state.x, tf.mul(c.half, vB));
        const vO = tf.add(tf.mul(c.eta, vB), tf.mul(c.noise, rng.fork('velocity-noise').normal([n, d])));
        const x = tf.add(xA, tf.mul(c.half, vO)) as Tensor2D;
        const grad = gradAt(target, x);
        const v = tf.add(vO, tf.mul(c.half, grad)) as Tensor2D;
        const next: BaoabState = { x, v, grad };
        return { state: next, info: { evaluations: EVALUATIONS, ...kineticSummary(next) } };
      });
    },
    disposeState: disposeTensors,
  };
}
