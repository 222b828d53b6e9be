/**
 * The RTK paper's numbers for its mixture experiment (Huang et al., NeurIPS 2024, Fig. 1(a)), as ALGORITHMS.md §7
 * gives them: their marginal accuracy (200 bins on [−5, 5], TV halved once more), so they compare with our
 * `marginalAccuracyPaper`, never with the standard metric. Their NFE does not count MALA's log-density evaluations
 * or the warm start (ours does), so at equal NFE our RTK-MALA takes fewer inner steps than theirs.
 */

/** One number read from the paper. */
export interface PaperNumber {
  readonly sampler: string;
  /** The NFE the paper reports it at; the levelling-off values are placed at the largest budget, 505. */
  readonly nfe: number;
  readonly value: number;
  /** True for the values ALGORITHMS.md gives as "≈ … (levelling off)". */
  readonly approximate: boolean;
}

/** The paper's numbers (paper metric). */
export const PAPER_NUMBERS: readonly PaperNumber[] = Object.freeze([
  { sampler: 'ddpm', nfe: 105, value: 0.767, approximate: false },
  { sampler: 'ddpm', nfe: 505, value: 0.856, approximate: false },
  { sampler: 'rtk-mala', nfe: 105, value: 0.978, approximate: false },
  { sampler: 'rtk-mala', nfe: 505, value: 0.991, approximate: false },
  { sampler: 'rtk-uld', nfe: 505, value: 0.968, approximate: true },
  { sampler: 'rtk-mala-score', nfe: 505, value: 0.972, approximate: true },
  { sampler: 'rtk-ula', nfe: 505, value: 0.958, approximate: true },
]);

/** The paper's number for a sampler at a budget, if it reports one. */
export function paperNumber(sampler: string, nfe: number): PaperNumber | undefined {
  return PAPER_NUMBERS.find((p) => p.sampler === sampler && p.nfe === nfe);
}
