import { getSampler } from '@rtk-diffusion/samplers';
import { gaussianModel } from '@rtk-diffusion/scores';
import { createRng } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_STEP_SIZE_FACTORS,
  defaultCandidate,
  firstStageCandidates,
  PAPER_DDPM_GRID,
  RTK_SAMPLERS,
  secondStageCandidates,
  settingsKey,
} from './candidates.js';

describe('candidates', () => {
  test.each(RTK_SAMPLERS)('the default step-size constant of %s is the sampler’s own', async (name) => {
    // same seed: passing the constant explicitly must give exactly the default run
    const model = gaussianModel({ mean: [0.5, -1], covariance: [0.2, 1] });
    const sampler = getSampler(name);
    const run = async (options: Record<string, unknown>) => {
      const { x } = await sampler.sample({ model, n: 16, nfe: 40, rng: createRng(4), ...options });
      const values = Array.from(await x.data());
      x.dispose();
      return values;
    };
    const plain = await run({});
    expect(await run({ stepSizeFactor: DEFAULT_STEP_SIZE_FACTORS[name] })).toEqual(plain);
    // negative control: another constant changes the samples
    expect(await run({ stepSizeFactor: DEFAULT_STEP_SIZE_FACTORS[name]! * 2 })).not.toEqual(plain);
  });

  test('grid samplers try grids; RTK tries the segment counts that fit the budget', () => {
    expect(firstStageCandidates('ddpm', 10, 'quick').map((c) => c.label)).toEqual([
      'linear β (trailing)',
      'uniform time',
      'log-SNR uniform',
      'Karras ρ = 7',
    ]);
    expect(firstStageCandidates('ddpm', 10, 'full')).toHaveLength(5);
    // rtk-mala costs 5 per segment at least (warm start, init and one step of 2): NFE 10 fits 2 segments only
    expect(firstStageCandidates('rtk-mala', 10, 'quick').map((c) => c.label)).toEqual(['2 segments']);
    expect(firstStageCandidates('rtk-mala', 105, 'quick').map((c) => c.label)).toEqual([
      '2 segments',
      '5 segments',
      '10 segments',
    ]);
  });

  test('stage 2 varies the step size at the winning segment count (RTK only)', () => {
    const [winner] = firstStageCandidates('rtk-mala', 105, 'quick').slice(1);
    expect(secondStageCandidates('rtk-mala', winner!, 'quick').map((c) => c.label)).toEqual([
      '5 segments, c = 0.15',
      '5 segments, c = 0.6',
    ]);
    expect(secondStageCandidates('rtk-mala', winner!, 'full').map((c) => c.label)).toContain(
      '5 segments, adaptive τ',
    );
    expect(secondStageCandidates('ddpm', firstStageCandidates('ddpm', 10, 'quick')[0]!, 'quick')).toEqual([]);
  });

  test('defaults: the paper setup on the paper target; the registry grid elsewhere, found among the candidates', () => {
    expect(defaultCandidate('ddpm', true).settings).toEqual({ grid: PAPER_DDPM_GRID });
    const ddpm = defaultCandidate('ddpm', false);
    expect(ddpm.label).toBe('default: linear β (trailing)');
    const keys = firstStageCandidates('ddpm', 100, 'quick').map((c) => settingsKey(c.settings));
    expect(keys).toContain(settingsKey(ddpm.settings));
    expect(defaultCandidate('dpmpp-2m', false).label).toBe('default: log-SNR uniform');
    const rtk = defaultCandidate('rtk-uld', true);
    expect(rtk.label).toBe('paper: 5 segments');
    expect(firstStageCandidates('rtk-uld', 100, 'quick').map((c) => settingsKey(c.settings))).toContain(
      settingsKey(rtk.settings),
    );
  });
});
