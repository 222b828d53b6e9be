/**
 * Score-only RTK-MALA: MALA whose energy difference log π(x') − log π(x) is the trapezoid line integral of the
 * gradient along x → x' (exact for the quadratic part of the RTK target), so only scores are needed
 * (Huang et al., NeurIPS 2024; ALGORITHMS.md §4 "Score-only MALA", §5 "RTK"). One gradient per inner step.
 */
import { malaScoreOnly } from '@rtk-diffusion/mcmc';
import { rtk } from './rtk.js';

/** Score-only RTK-MALA (registry name `rtk-mala-score`). Default τ = 0.3 / (L(a') + r/(1 − r)). */
export const rtkMalaScore = rtk({
  name: 'rtk-mala-score',
  title: 'RTK with score-only MALA inner steps (trapezoid energy)',
  stepSizeFactor: 0.3,
  reportsAcceptance: true,
  kernel: ({ stepSize }) => malaScoreOnly({ stepSize, rule: 'trapezoid' }),
});
