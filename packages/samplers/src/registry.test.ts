import { isRtkError } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { getSampler, SAMPLER_NAMES, SAMPLERS } from './registry.js';

describe('the registry', () => {
  test('lists the stable names of ARCHITECTURE.md, each with its cost model', () => {
    expect([...SAMPLER_NAMES].sort()).toEqual(
      [
        'accel-det',
        'accel-stoch',
        'ddim',
        'ddpm',
        'dpmpp-2m',
        'pf-ode',
        'rtk-mala',
        'rtk-mala-score',
        'rtk-uld',
        'rtk-ula',
      ].sort(),
    );
    for (const name of SAMPLER_NAMES) {
      const sampler = SAMPLERS[name];
      expect(sampler.name).toBe(name);
      expect(sampler.reference).toMatch(/ALGORITHMS\.md §5/);
      expect(sampler.cost().minNfe).toBeGreaterThan(0);
      expect(sampler.cost().minNfe).toBeLessThanOrEqual(10); // every sampler runs from NFE 10
      const cost = sampler.cost({ nfe: 200 });
      expect(cost.nfeForSteps(cost.stepsForBudget(200))).toBeLessThanOrEqual(200);
    }
  });

  test('getSampler finds a name and suggests the nearest one for a typo', () => {
    expect(getSampler('rtk-mala').name).toBe('rtk-mala');
    let error: unknown;
    try {
      getSampler('rtk-malla');
    } catch (e) {
      error = e;
    }
    expect(isRtkError(error, 'E_UNKNOWN_NAME')).toBe(true);
    expect((error as Error).message).toMatch(/Unknown sampler 'rtk-malla'\. Did you mean 'rtk-mala'\?/);
  });
});
