/**
 * RTK-MALA: the Reverse Transition Kernel framework with MALA as inner solver, using the model's exact log-density
 * in the acceptance ratio (Huang et al., NeurIPS 2024; ALGORITHMS.md §4 "MALA", §5 "RTK"). Each inner step costs a
 * gradient and a log-density evaluation, both counted.
 */
import { mala } from '@rtk-diffusion/mcmc';
import { rtk } from './rtk.js';

/** RTK with exact MALA inside (registry name `rtk-mala`). Default τ = 0.3 / (L(a') + r/(1 − r)) (ALGORITHMS.md §5). */
export const rtkMala = rtk({
  name: 'rtk-mala',
  title: 'RTK with MALA inner steps (exact log-density)',
  stepSizeFactor: 0.3,
  reportsAcceptance: true,
  kernel: ({ stepSize }) => mala({ stepSize }),
});
