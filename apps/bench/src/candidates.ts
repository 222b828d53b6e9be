/**
 * Fairness: the settings each sampler is tuned over, and its default (baseline) setting. Grid samplers try several
 * grids; RTK samplers try segment counts, then step sizes at the best segment count, then the DDPM start at the best
 * of those (a greedy coordinate search, so the tuning cost stays linear in the number of options). The default of the
 * paper target is the paper's setup.
 */
import type { RunSettings } from '@rtk-diffusion/cli';
import { type GridChoice, getSampler } from '@rtk-diffusion/samplers';

/** A named setting. */
export interface Candidate {
  /** Human-readable and unique within a sampler (`karras`, `10 segments, c = 0.15`). */
  readonly label: string;
  readonly settings: RunSettings;
}

/** The RTK samplers (tuned over segments and step size). */
export const RTK_SAMPLERS: readonly string[] = Object.freeze([
  'rtk-ula',
  'rtk-mala',
  'rtk-mala-score',
  'rtk-uld',
]);

/** RTK samplers with an accept/reject step, which can adapt their step size. */
const ADAPTIVE = new Set(['rtk-mala', 'rtk-mala-score']);

/**
 * The default constant c of each RTK variant's curvature-aware step size (packages/samplers/src/rtk-*.ts: MALA and
 * score-only MALA τ = 0.3/κ, ULA τ = 0.1/κ, ULD h = 0.5/√κ). candidates.test.ts checks these against the samplers.
 */
export const DEFAULT_STEP_SIZE_FACTORS: Readonly<Record<string, number>> = Object.freeze({
  'rtk-ula': 0.1,
  'rtk-mala': 0.3,
  'rtk-mala-score': 0.3,
  'rtk-uld': 0.5,
});

/** The paper's DDPM grid (ALGORITHMS.md §7): uniform in OU time on [δ, T], the same path as RTK's 5 segments. */
export const PAPER_DDPM_GRID: GridChoice = Object.freeze({
  schedule: 'ouUniform',
  options: Object.freeze({ horizon: 4, delta: 1e-3 }),
});

const GRIDS: readonly Candidate[] = [
  {
    label: 'linear β (trailing)',
    settings: { grid: { schedule: 'linear', options: { spacing: 'trailing' } } },
  },
  { label: 'uniform time', settings: { grid: PAPER_DDPM_GRID } },
  { label: 'log-SNR uniform', settings: { grid: 'logSnrUniform' } },
  { label: 'Karras ρ = 7', settings: { grid: 'karras' } },
  { label: 'cosine', settings: { grid: 'cosine' } },
];

/** Segment counts tried by the tuning. */
export function segmentCounts(breadth: 'quick' | 'full'): readonly number[] {
  return breadth === 'quick' ? [2, 5, 10] : [1, 2, 3, 5, 10, 20];
}

/** Step-size multipliers of the default c tried at the best segment count. */
export function stepSizeMultipliers(breadth: 'quick' | 'full'): readonly number[] {
  return breadth === 'quick' ? [0.5, 2] : [0.25, 0.5, 2, 4];
}

function rtkCandidate(sampler: string, segments: number, multiplier: number | 'adapt'): Candidate {
  const c = DEFAULT_STEP_SIZE_FACTORS[sampler]!;
  if (multiplier === 'adapt') {
    return {
      label: `${segments} segments, adaptive τ`,
      settings: { samplerOptions: { segments, stepSize: 'adapt' } },
    };
  }
  if (multiplier === 1) return { label: `${segments} segments`, settings: { samplerOptions: { segments } } };
  const factor = Number((c * multiplier).toPrecision(6));
  return {
    label: `${segments} segments, c = ${factor}`,
    settings: { samplerOptions: { segments, stepSizeFactor: factor } },
  };
}

/** True when the sampler can run at this budget with these settings. */
export function fitsBudget(sampler: string, candidate: Candidate, nfe: number): boolean {
  try {
    return getSampler(sampler).cost({ ...(candidate.settings.samplerOptions ?? {}) }).minNfe <= nfe;
  } catch {
    return false;
  }
}

/** A key equal for equal settings (so a tuned winner equal to the default reuses the default run). */
export function settingsKey(settings: RunSettings): string {
  return JSON.stringify(settings);
}

/**
 * The default (baseline) setting: the registry's grid, or 5 segments with the curvature-aware step size for RTK; on
 * the paper target, DDPM on the paper's uniform time grid.
 */
export function defaultCandidate(sampler: string, paper: boolean): Candidate {
  if (paper && sampler === 'ddpm')
    return { label: 'paper: uniform time', settings: { grid: PAPER_DDPM_GRID } };
  if (RTK_SAMPLERS.includes(sampler))
    return { ...rtkCandidate(sampler, 5, 1), label: `${paper ? 'paper: ' : ''}5 segments` };
  const grid = getSampler(sampler).defaultGrid();
  const known = GRIDS.find((candidate) => settingsKey(candidate.settings) === settingsKey({ grid }));
  return { label: `default: ${known?.label ?? 'registry grid'}`, settings: { grid } };
}

/**
 * Stage 1 of the tuning at one budget: grids for grid samplers, segment counts for RTK (at the default step size).
 * Candidates that do not fit the budget are left out.
 */
export function firstStageCandidates(sampler: string, nfe: number, breadth: 'quick' | 'full'): Candidate[] {
  const all = RTK_SAMPLERS.includes(sampler)
    ? segmentCounts(breadth).map((segments) => rtkCandidate(sampler, segments, 1))
    : breadth === 'quick'
      ? GRIDS.slice(0, 4)
      : [...GRIDS];
  return all.filter((candidate) => fitsBudget(sampler, candidate, nfe));
}

/** Stage 3 (RTK only): the DDPM start (the warm start plus DDPM noise, so chains start with spread) at the winner. */
export function thirdStageCandidates(sampler: string, winner: Candidate): Candidate[] {
  if (!RTK_SAMPLERS.includes(sampler) || winner.settings.samplerOptions?.start !== undefined) return [];
  return [
    {
      label: `${winner.label}, DDPM start`,
      settings: { ...winner.settings, samplerOptions: { ...winner.settings.samplerOptions, start: 'ddpm' } },
    },
  ];
}

/** Stage 2 (RTK only): step sizes at the segment count that won stage 1. */
export function secondStageCandidates(
  sampler: string,
  winner: Candidate,
  breadth: 'quick' | 'full',
): Candidate[] {
  if (!RTK_SAMPLERS.includes(sampler)) return [];
  const segments = winner.settings.samplerOptions?.segments;
  if (typeof segments !== 'number') return [];
  const multipliers: (number | 'adapt')[] = [...stepSizeMultipliers(breadth)];
  if (breadth === 'full' && ADAPTIVE.has(sampler)) multipliers.push('adapt');
  return multipliers.map((m) => rtkCandidate(sampler, segments, m));
}
