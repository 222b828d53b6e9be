/**
 * The kernels by stable name, so samplers, the CLI, benchmarks and docs can list and build them without knowing
 * them, and the conformance suite (registry.test.ts) runs every one through the same contract. Adding a kernel:
 * its file, its test file, one line here, one changeset.
 */
import { RtkError } from '@rtk-diffusion/tensor';
import { baoab } from './baoab.js';
import { hmc } from './hmc.js';
import { mala } from './mala.js';
import { type LineIntegralRule, malaScoreOnly } from './mala-score-only.js';
import type { Kernel, StepSize } from './types.js';
import { ula } from './ula.js';
import { uld } from './uld.js';

/** Configuration of any registered kernel; each kernel reads the fields it needs. */
export interface KernelSettings {
  /** Step size (τ for Langevin kernels, h for kinetic ones, ε for HMC): a number or one per chain. */
  readonly stepSize: StepSize;
  /** Friction γ of `uld` and `baoab` (required by them). */
  readonly friction?: number;
  /** Leapfrog steps of `hmc` (required by it). */
  readonly leapfrogSteps?: number;
  /** Line-integral rule of `mala-score-only`; default trapezoid. */
  readonly rule?: LineIntegralRule;
}

/** A registered kernel. */
export interface KernelEntry {
  /** Stable name, equal to the kernel's `name`. */
  readonly name: string;
  /** One line for listings. */
  readonly summary: string;
  /** Needs `target.logDensity`. */
  readonly needsLogDensity: boolean;
  /** Has an accept/reject step (reports acceptance; exact for any step size). */
  readonly metropolis: boolean;
  /** Builds the kernel. */
  create(settings: KernelSettings): Kernel;
}

/** Every kernel of the package, by name. */
export const KERNELS: readonly KernelEntry[] = Object.freeze([
  {
    name: 'ula',
    summary: 'unadjusted Langevin: one gradient a step, biased O(τ)',
    needsLogDensity: false,
    metropolis: false,
    create: (s: KernelSettings) => ula({ stepSize: s.stepSize }),
  },
  {
    name: 'mala',
    summary: 'Metropolis-adjusted Langevin: exact, needs log π; one gradient and one log-density a step',
    needsLogDensity: true,
    metropolis: true,
    create: (s: KernelSettings) => mala({ stepSize: s.stepSize }),
  },
  {
    name: 'mala-score-only',
    summary: 'MALA with log π differences from a line integral of the gradient (trapezoid or Simpson)',
    needsLogDensity: false,
    metropolis: true,
    create: (s: KernelSettings) =>
      malaScoreOnly(s.rule === undefined ? { stepSize: s.stepSize } : { stepSize: s.stepSize, rule: s.rule }),
  },
  {
    name: 'uld',
    summary: 'underdamped Langevin, exponential integrator exact for a frozen gradient; one gradient a step',
    needsLogDensity: false,
    metropolis: false,
    create: (s: KernelSettings) => uld({ stepSize: s.stepSize, friction: s.friction as number }),
  },
  {
    name: 'baoab',
    summary: 'underdamped Langevin, BAOAB splitting; one gradient a step, O(h²) bias in x',
    needsLogDensity: false,
    metropolis: false,
    create: (s: KernelSettings) => baoab({ stepSize: s.stepSize, friction: s.friction as number }),
  },
  {
    name: 'hmc',
    summary: 'Hamiltonian Monte Carlo: exact, needs log π; L gradients and one log-density a step',
    needsLogDensity: true,
    metropolis: true,
    create: (s: KernelSettings) => hmc({ stepSize: s.stepSize, leapfrogSteps: s.leapfrogSteps as number }),
  },
]);

/** Builds a registered kernel by name. @throws `RtkError` `E_UNKNOWN_NAME` for an unknown name. */
export function createKernel(name: string, settings: KernelSettings): Kernel {
  const entry = KERNELS.find((kernel) => kernel.name === name);
  if (entry === undefined) {
    throw new RtkError(
      'E_UNKNOWN_NAME',
      `unknown kernel '${name}'; choose one of ${KERNELS.map((kernel) => kernel.name).join(', ')}`,
      { details: { name } },
    );
  }
  return entry.create(settings);
}
