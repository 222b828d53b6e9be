/**
 * HMC, Hamiltonian Monte Carlo (Duane, Kennedy, Pendleton & Roweth 1987; Neal, "MCMC using Hamiltonian dynamics",
 * 2011): fresh momenta p ~ N(0, I), L leapfrog steps of size ε on H(x, p) = −log π(x) + ½‖p‖²,
 *   p ← p + (ε/2) ∇log π(x),   x ← x + ε p,   p ← p + (ε/2) ∇log π(x)     (L times),
 * then accept row by row with probability min(1, exp(H(x, p) − H(x', p'))). Exact for any ε and L. L gradients and
 * one log-density per step (the gradient and log-density at the current point are cached).
 */
import { type Rng, type Tensor1D, type Tensor2D, tf, ValidationError } from '@rtk-diffusion/tensor';
import type { MalaState } from './mala.js';
import { metropolisDecision } from './metropolis.js';
import { checkStepSize, stepSizeTensor } from './step-size.js';
import { checkPosition, gradAt, logDensityAt, requireLogDensity } from './target.js';
import { disposeTensors, nonFiniteRows, readScalars, selectRows, tidy } from './tensors.js';
import type { Evaluations, Kernel, MetropolisInfo, StepSize, Target } from './types.js';

/** State of {@link hmc}: positions, and the gradient and log-density there (as for MALA). */
export type HmcState = MalaState;

/** Diagnostics of an {@link hmc} step. */
export type HmcInfo = MetropolisInfo;

/** Options of {@link hmc}. */
export interface HmcOptions {
  /** Leapfrog step ε > 0: one number, or one per chain. */
  readonly stepSize: StepSize;
  /** Leapfrog steps L per HMC step (a positive integer). */
  readonly leapfrogSteps: number;
}

const INIT: Evaluations = Object.freeze({ grad: 1, logDensity: 1 });

/** Hamiltonian Monte Carlo with L leapfrog steps of size ε; needs `target.logDensity`. */
export function hmc(options: HmcOptions): Kernel<HmcState, HmcInfo> {
  const stepSize = checkStepSize('hmc', options?.stepSize);
  const steps = options.leapfrogSteps;
  if (!(Number.isInteger(steps) && steps > 0)) {
    throw new ValidationError(`hmc: leapfrogSteps must be a positive integer, got ${String(steps)}`, {
      leapfrogSteps: steps,
    });
  }
  const perStep: Evaluations = Object.freeze({ grad: steps, logDensity: 1 });
  return {
    name: 'hmc',
    evaluationsPerInit: INIT,
    evaluationsPerStep: perStep,
    needsLogDensity: true,
    init(x: Tensor2D, target: Target): { state: HmcState; evaluations: Evaluations } {
      checkPosition('hmc', x, target);
      requireLogDensity('hmc', target, 'malaScoreOnly({ stepSize }), uld or baoab');
      const state = tidy(() => ({
        x: tf.clone(x),
        grad: gradAt(target, x),
        logDensity: logDensityAt(target, x),
      }));
      return { state, evaluations: INIT };
    },
    step(state: HmcState, target: Target, rng: Rng): { state: HmcState; info: HmcInfo } {
      requireLogDensity('hmc', target, 'malaScoreOnly({ stepSize }), uld or baoab');
      const [n, d] = checkPosition('hmc', state.x, target, 'state.x').shape;
      return tidy(() => {
        const epsilon = stepSizeTensor('hmc', stepSize, n);
        const half = tf.mul(epsilon, 0.5);
        const p0 = rng.fork('momentum').normal([n, d]);
        let x: Tensor2D = state.x;
        let grad: Tensor2D = state.grad;
        let p: Tensor2D = p0;
        for (let l = 0; l < steps; l++) {
          p = tf.add(p, tf.mul(half, grad));
          x = tf.add(x, tf.mul(epsilon, p));
          grad = gradAt(target, x);
          p = tf.add(p, tf.mul(half, grad));
        }
        const logDensity = logDensityAt(target, x);
        const kinetic = (momentum: Tensor2D) => tf.mul(tf.sum(tf.square(momentum), 1), 0.5) as Tensor1D;
        // log ratio = H(x, p0) − H(x', p) = log π(x') − ½‖p‖² − log π(x) + ½‖p0‖²
        const logRatio = tf.sub(
          tf.sub(logDensity, kinetic(p)),
          tf.sub(state.logDensity, kinetic(p0)),
        ) as Tensor1D;
        const { acceptance, accepted } = metropolisDecision(logRatio, rng.fork('accept').uniform([n]));
        const next: HmcState = {
          x: selectRows(accepted, x, state.x),
          grad: selectRows(accepted, grad, state.grad),
          logDensity: selectRows(accepted, logDensity, state.logDensity),
        };
        const [meanAcceptance, divergences] = readScalars([tf.mean(acceptance), nonFiniteRows(next.x)]);
        return {
          state: next,
          info: {
            evaluations: perStep,
            divergences: divergences!,
            acceptance,
            accepted,
            meanAcceptance: meanAcceptance!,
          },
        };
      });
    },
    disposeState: disposeTensors,
  };
}
