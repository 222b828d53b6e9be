/**
 * ULD, underdamped (kinetic) Langevin dynamics with unit mass and friction γ (ALGORITHMS.md §4),
 *   dx = v dt,   dv = (∇log π(x) − γ v) dt + sqrt(2γ) dB,
 * integrated over each step h with the gradient g = ∇log π(x) frozen at the start of the step, exactly: the
 * exponential integrator of Cheng, Chatterji, Bartlett & Jordan, "Underdamped Langevin MCMC: a non-asymptotic
 * analysis" (COLT 2018). With η = e^{−γh}:
 *   x' = x + (1 − η)/γ · v + (γh − (1 − η))/γ² · g + ζ_x
 *   v' = η v + (1 − η)/γ · g + ζ_v
 * where (ζ_x, ζ_v) is Gaussian, independent across coordinates, with per-coordinate covariance
 *   Var ζ_x = (2γh − 3 + 4η − η²)/γ²,   Cov(ζ_x, ζ_v) = (1 − η)²/γ,   Var ζ_v = 1 − η².
 * v0 ~ N(0, I). One gradient per step. Exact only where ∇log π is constant over a step (no proper target): for
 * h > 0 the gradient frozen over the step biases the stationary law of both x and v by O(h). On a Gaussian the
 * stationary mean is exact, (μ, 0), and both covariances are off: for Σ = [[1, 0.8], [0.8, 1]], γ = 2, h = 0.3 the
 * x-covariance is [[1.10, 0.78], [0.78, 1.10]] and the v-covariance [[1.30, −0.26], [−0.26, 1.30]] instead of Σ and
 * I; the largest entry gaps, 0.027 (x) and 0.078 (v) at h = 0.1, 0.013 and 0.037 at h = 0.05, shrink like h
 * (uld.stat.test.ts checks the exact discrete law). The reported kinetic energy is biased with v.
 */
import type { Rng, Tensor2D } from '@rtk-diffusion/tensor';
import { tf } from '@rtk-diffusion/tensor';
import { initKinetic, type KineticInfo, type KineticState, kineticSummary } from './kinetic.js';
import { checkPositive, checkStepSize, stepSizeTensors } from './step-size.js';
import { checkPosition, gradAt } from './target.js';
import { disposeTensors, tidy } from './tensors.js';
import type { Evaluations, Kernel, StepSize, Target } from './types.js';

/** State of {@link uld}: positions, velocities, gradient. */
export type UldState = KineticState;

/** Diagnostics of a {@link uld} step (with the mean kinetic energy). */
export type UldInfo = KineticInfo;

/** Options of {@link uld}. */
export interface UldOptions {
  /** Time step h > 0: one number, or one per chain. */
  readonly stepSize: StepSize;
  /** Friction γ > 0 (about 2·sqrt(curvature) damps critically). */
  readonly friction: number;
}

const EVALUATIONS: Evaluations = Object.freeze({ grad: 1, logDensity: 0 });

/** Below this γh the closed forms lose digits to cancellation and their Taylor series are used instead. */
const SERIES_BELOW = 0.5;

/** a − (1 − e^{−a}) = Σ_{k≥2} (−1)^k a^k / k!, accurate for every a ≥ 0. */
function frozenDrift(a: number): number {
  if (a >= SERIES_BELOW) return a + Math.expm1(-a);
  let term = -a; // (−a)^k / k! at k = 1
  let sum = 0;
  for (let k = 2; k < 30; k++) {
    term *= -a / k;
    sum += term;
  }
  return sum;
}

/** 2a − 3 + 4e^{−a} − e^{−2a} = Σ_{k≥3} (−1)^k (4 − 2^k) a^k / k!, accurate for every a ≥ 0. */
function positionVariance(a: number): number {
  if (a >= SERIES_BELOW) return 2 * a - 3 + 4 * Math.exp(-a) - Math.exp(-2 * a);
  let power = a * a; // a^k / k! at k = 2
  power /= 2;
  let sum = 0;
  for (let k = 3; k < 40; k++) {
    power *= a / k;
    sum += (k % 2 === 0 ? 1 : -1) * (4 - 2 ** k) * power;
  }
  return sum;
}

/** Coefficients of one exponential-integrator step (see {@link uldCoefficients}). */
export interface UldCoefficients {
  readonly vx: number;
  readonly gx: number;
  readonly sx: number;
  readonly vv: number;
  readonly gv: number;
  readonly cv: number;
  readonly sv: number;
}

/**
 * Coefficients of one exponential-integrator step of length h with friction γ (float64), per coordinate:
 * x' = x + vx·v + gx·g + sx·ξ₁,  v' = vv·v + gv·g + cv·ξ₁ + sv·ξ₂ with ξ₁, ξ₂ ~ N(0, I) independent.
 */
export function uldCoefficients(h: number, friction: number): UldCoefficients {
  const a = friction * h;
  const oneMinusEta = -Math.expm1(-a);
  const varianceX = positionVariance(a) / friction ** 2;
  const covariance = oneMinusEta ** 2 / friction;
  const varianceV = oneMinusEta * (2 - oneMinusEta);
  const sx = Math.sqrt(varianceX);
  const cv = covariance / sx;
  return {
    vx: oneMinusEta / friction,
    gx: frozenDrift(a) / friction ** 2,
    sx,
    vv: 1 - oneMinusEta,
    gv: oneMinusEta / friction,
    cv,
    sv: Math.sqrt(Math.max(0, varianceV - cv * cv)),
  };
}

/** Underdamped Langevin with the exponential integrator (exact for a frozen gradient); time step h, friction γ. */
export function uld(options: UldOptions): Kernel<UldState, UldInfo> {
  const stepSize = checkStepSize('uld', options?.stepSize);
  const friction = checkPositive('uld', 'friction', options.friction);
  return {
    name: 'uld',
    evaluationsPerInit: EVALUATIONS,
    evaluationsPerStep: EVALUATIONS,
    needsLogDensity: false,
    init(x: Tensor2D, target: Target, rng: Rng): { state: UldState; evaluations: Evaluations } {
      return { state: initKinetic('uld', x, target, rng), evaluations: EVALUATIONS };
    },
    step(state: UldState, target: Target, rng: Rng): { state: UldState; info: UldInfo } {
      const [n, d] = checkPosition('uld', state.x, target, 'state.x').shape;
      return tidy(() => {
        const c = stepSizeTensors('uld', stepSize, n, (h) => uldCoefficients(h, friction));
        const xi1 = rng.fork('position-noise').normal([n, d]);
        const xi2 = rng.fork('velocity-noise').normal([n, d]);
        const x = tf.addN([state.x, tf.mul(c.vx, state.v), tf.mul(c.gx, state.grad), tf.mul(c.sx, xi1)]);
        const v = tf.addN([
          tf.mul(c.vv, state.v),
          tf.mul(c.gv, state.grad),
          tf.mul(c.cv, xi1),
          tf.mul(c.sv, xi2),
        ]);
        const next: UldState = { x: x as Tensor2D, v: v as Tensor2D, grad: gradAt(target, x as Tensor2D) };
        return { state: next, info: { evaluations: EVALUATIONS, ...kineticSummary(next) } };
      });
    },
    disposeState: disposeTensors,
  };
}
