/**
 * RTK-ULA: the Reverse Transition Kernel framework with the unadjusted Langevin algorithm as inner solver
 * (Huang et al., NeurIPS 2024; ALGORITHMS.md §4 "ULA", §5 "RTK"). One gradient per inner step; biased by O(τ).
 */
import { ula } from '@rtk-diffusion/mcmc';
import { rtk } from './rtk.js';

/** RTK with ULA inside (registry name `rtk-ula`). Default τ = 0.1 / (L(a') + r/(1 − r)). */
export const rtkUla = rtk({
  name: 'rtk-ula',
  title: 'RTK with unadjusted Langevin (ULA) inner steps',
  stepSizeFactor: 0.1,
  kernel: ({ stepSize }) => ula({ stepSize }),
});
