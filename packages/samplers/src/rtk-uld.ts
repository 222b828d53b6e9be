/**
 * RTK-ULD: the Reverse Transition Kernel framework with underdamped Langevin dynamics (exponential integrator, exact
 * for a frozen gradient) as inner solver (Huang et al., NeurIPS 2024; ALGORITHMS.md §4 "ULD", §5 "RTK").
 * Friction γ = 2√κ (critical damping of the subproblem's curvature κ = L(a') + r/(1 − r)), step h = c / √κ.
 */
import { uld } from '@rtk-diffusion/mcmc';
import { rtk } from './rtk.js';

/** RTK with ULD inside (registry name `rtk-uld`). Default h = 0.5 / √κ, γ = 2√κ, so γh = 1. */
export const rtkUld = rtk({
  name: 'rtk-uld',
  title: 'RTK with underdamped Langevin (ULD) inner steps',
  stepSizeFactor: 0.5,
  stepSizeRule: 'inverseSqrt',
  kernel: ({ stepSize, curvature }) => uld({ stepSize, friction: 2 * Math.sqrt(curvature) }),
});
