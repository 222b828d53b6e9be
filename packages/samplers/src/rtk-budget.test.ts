import { test as fcTest } from '@fast-check/vitest';
import { gaussianModel } from '@rtk-diffusion/scores';
import { createRng, isRtkError } from '@rtk-diffusion/tensor';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { rtkMala } from './rtk-mala.js';
import { rtkMalaScore } from './rtk-mala-score.js';
import { rtkUla } from './rtk-ula.js';
import { rtkUld } from './rtk-uld.js';
import type { Sampler } from './sampler.js';

const model = gaussianModel({ mean: [0.5, -0.5], covariance: 0.5 });
const VARIANTS = [rtkMala, rtkMalaScore, rtkUla, rtkUld] as const;

async function failure(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('the RTK budget split', () => {
  test.each([
    // [sampler, nfe, options, segments, inner steps, nfe used]: per segment start 1 + init + m × step cost
    [rtkMala, 100, {}, 5, 8, 95], // 5 × (1 + 2 + 2·8) = 95
    [rtkMalaScore, 100, {}, 5, 18, 100], // 5 × (1 + 1 + 18) = 100
    [rtkUla, 100, {}, 5, 18, 100],
    [rtkUld, 100, {}, 5, 18, 100],
    [rtkMala, 100, { start: 'cold' }, 5, 9, 100], // 5 × (0 + 2 + 2·9)
    [rtkMala, 100, { segments: 2 }, 2, 23, 98], // 2 × (1 + 2 + 2·23)
    [rtkMala, 100, { innerSteps: 3 }, 5, 3, 45],
    [rtkMala, 25, {}, 5, 1, 25], // the smallest budget of 5 segments: 5 × (1 + 2 + 2)
    // below 5 segments' minimum the default takes as many segments as fit, one inner step each
    [rtkMala, 24, {}, 4, 1, 20], // ⌊24 / 5⌋ = 4 segments of 5
    [rtkMala, 10, {}, 2, 1, 10],
    [rtkMala, 5, {}, 1, 1, 5],
    [rtkMala, 10, { start: 'cold' }, 2, 1, 8], // 2 × (0 + 2 + 2·1): ⌊(5 − 2)/2⌋ = 1
    [rtkMalaScore, 10, {}, 3, 1, 9], // ⌊10 / 3⌋ = 3 segments of 1 + 1 + 1
    [rtkUla, 10, {}, 3, 1, 9],
    [rtkUld, 10, {}, 3, 1, 9],
    [rtkUla, 14, {}, 4, 1, 12],
    [rtkMala, 12, { innerSteps: 2 }, 1, 2, 7], // ⌊12 / 7⌋ = 1 segment of 1 + 2 + 2·2
  ] as const)(
    '%#: budget → segments × inner steps and exact NFE',
    async (sampler, nfe, options, segments, innerSteps, used) => {
      const events: Record<string, number>[] = [];
      const result = await sampler.sample({
        model,
        n: 16,
        nfe,
        rng: createRng(1),
        onStep: (e) => events.push({ ...(e.info ?? {}) }),
        ...options,
      });
      expect(result.trace.summary.segments).toBe(segments);
      expect(result.trace.summary.innerSteps).toBe(innerSteps);
      expect(result.trace.levels).toHaveLength(segments + 1);
      expect(result.nfe).toBe(used);
      // The cost model states the same exact count, and the kernels' own evaluation counts agree with the counted model.
      const cost = (sampler as unknown as Sampler).cost({ model, nfe, ...options });
      expect(cost.nfeForSteps(cost.stepsForBudget(nfe))).toBe(used);
      const kernelEvaluations = events.reduce((s, e) => s + (e.evaluations ?? 0), 0);
      const startEvaluations = 'start' in options && options.start === 'cold' ? 0 : events.length;
      expect(kernelEvaluations + startEvaluations).toBe(used);
      result.x.dispose();
    },
  );

  test('a budget too small is an E_BUDGET error that says the minimum; given segments are kept', async () => {
    const tooSmall = await failure(rtkMala.sample({ model, n: 4, nfe: 4, rng: createRng(1) }));
    expect(isRtkError(tooSmall, 'E_BUDGET')).toBe(true);
    expect((tooSmall as Error).message).toMatch(/needs at least 5 evaluations for one segment, got nfe = 4/);
    const fixed = await failure(rtkMala.sample({ model, n: 4, nfe: 20, rng: createRng(1), segments: 5 }));
    expect(isRtkError(fixed, 'E_BUDGET')).toBe(true);
    expect((fixed as Error).message).toMatch(/needs at least 25 evaluations for 5 segments, got nfe = 20/);
    expect(rtkMala.cost({ segments: 5 }).minNfe).toBe(25);
    expect(rtkMala.cost({}).minNfe).toBe(5);
  });

  test('an explicit grid fixes the segments: its inner steps come from the budget; segments with it is an error', async () => {
    const grid = [1e-4, 0.1, 0.6, 1];
    const result = await rtkMala.sample({ model, n: 4, nfe: 30, grid, rng: createRng(1) });
    // 3 segments of ⌊30 / 3⌋ = 10: ⌊(10 − 3) / 2⌋ = 3 inner steps, 3 × (3 + 2·3) = 27
    expect(result.trace.summary).toMatchObject({ segments: 3, innerSteps: 3 });
    expect(result.nfe).toBe(27);
    expect(rtkMala.cost({ model, nfe: 30, grid }).nfeForSteps(3)).toBe(27);
    result.x.dispose();
    const both = await failure(
      rtkMala.sample({ model, n: 4, nfe: 30, grid, segments: 3, rng: createRng(1) }),
    );
    expect(isRtkError(both, 'E_VALIDATION')).toBe(true);
    expect((both as Error).message).toMatch(/give either segments or an explicit grid/);
    const over = await failure(rtkMala.sample({ model, n: 4, nfe: 14, grid, rng: createRng(1) }));
    expect(isRtkError(over, 'E_BUDGET')).toBe(true); // 3 segments need 15
  });

  const options = fc.record({
    variant: fc.constantFrom(...VARIANTS.keys()),
    nfe: fc.integer({ min: 1, max: 3000 }),
    start: fc.constantFrom('warm', 'ddpm', 'cold'),
    segments: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    innerSteps: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  });

  fcTest.prop([options], { seed: 7 })(
    'the rule: runs exactly when nfe ≥ minNfe, uses ≤ nfe, keeps 5 segments wherever 5 fit, spends the budget',
    ({ variant, nfe, start, segments, innerSteps }) => {
      const sampler = VARIANTS[variant]!;
      const given = {
        start,
        ...(segments === undefined ? {} : { segments }),
        ...(innerSteps === undefined ? {} : { innerSteps }),
      };
      const cost = sampler.cost({ ...given, nfe });
      const listed = sampler.cost(given);
      const perSegment = listed.minNfe / (segments ?? 1); // start + init + step × (innerSteps ?? 1)
      let chosen: number;
      try {
        chosen = cost.stepsForBudget(nfe);
      } catch (error) {
        expect(isRtkError(error, 'E_BUDGET')).toBe(true);
        expect(nfe).toBeLessThan(listed.minNfe);
        return;
      }
      expect(nfe).toBeGreaterThanOrEqual(listed.minNfe);
      expect(chosen).toBe(segments ?? Math.min(5, Math.floor(nfe / perSegment)));
      const used = cost.nfeForSteps(chosen);
      expect(used).toBeLessThanOrEqual(nfe);
      if (innerSteps === undefined) {
        // ⌊nfe / K⌋ per segment, less than one inner step left over in each: nfe − used < K (step cost + 1)
        const stepCost =
          sampler.cost({ start, innerSteps: 2 }).minNfe - sampler.cost({ start, innerSteps: 1 }).minNfe;
        expect(nfe - used).toBeLessThan(chosen * (stepCost + 1));
      } else {
        expect(used).toBe(chosen * perSegment);
      }
    },
  );
});
