/**
 * Names of the runs shown in the plots, shared by the suite runner (which keeps their samples) and the plots.
 */

/** Ground-truth label in the showcase. */
export const TRUTH = 'ground truth';

/** Label of a run in the showcase: `rtk-mala (tuned)`. */
export function runLabel(sampler: string, setting: 'default' | 'tuned'): string {
  return `${sampler} (${setting})`;
}

/** Samplers shown (tuned) in the histogram and scatter panels when present, like the paper's Figure 1(b–f). */
export const PANEL_SAMPLERS: readonly string[] = Object.freeze([
  'ddpm',
  'dpmpp-2m',
  'rtk-ula',
  'rtk-mala',
  'rtk-mala-score',
  'rtk-uld',
]);

/** The labels of the panels, in order: DDPM with its default setting first, then the tuned samplers. */
export const PANEL_LABELS: readonly string[] = Object.freeze([
  runLabel('ddpm', 'default'),
  ...PANEL_SAMPLERS.map((sampler) => runLabel(sampler, 'tuned')),
]);
