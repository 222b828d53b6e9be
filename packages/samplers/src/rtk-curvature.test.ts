import { gaussianModel, mixtureModel } from '@rtk-diffusion/scores';
import { createRng } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { curvatureSegmentLevels, curvatureStepSize, subproblemCurvature } from './rtk-curvature.js';
import { rtkMala } from './rtk-mala.js';
import { rtkUla } from './rtk-ula.js';
import { rtkUld } from './rtk-uld.js';

describe("the curvature rule of ALGORITHMS.md §5 (segments: 'curvature')", () => {
  test('every segment has r = 2L(a′)/(2L(a′) + 1), so r/(1 − r) = 2L(a′)', () => {
    const sharp = mixtureModel({ weights: [0.5, 0.5], means: [[-1], [1]], covariances: [0.02, 0.02] });
    const levels = curvatureSegmentLevels((a) => sharp.curvatureBound(a), {
      horizon: 4,
      delta: 1e-3,
      maxSegments: 500,
    });
    expect(levels[0]).toBeCloseTo(Math.exp(-8), 12);
    expect(levels.at(-1)).toBeCloseTo(Math.exp(-2e-3), 12);
    for (let k = 0; k + 2 < levels.length; k++) {
      const r = levels[k]! / levels[k + 1]!;
      const twoL = 2 * sharp.curvatureBound(levels[k + 1]!);
      expect(r / (1 - r)).toBeCloseTo(twoL, 6);
    }
  });

  test('runs with as many segments as the rule gives, and refuses too many', async () => {
    const sharp = mixtureModel({ weights: [0.5, 0.5], means: [[-1], [1]], covariances: [0.02, 0.02] });
    const result = await rtkMala.sample({
      model: sharp,
      n: 8,
      nfe: 2000,
      rng: createRng(3),
      segments: 'curvature',
    });
    expect(result.trace.summary.segments).toBeGreaterThan(5);
    result.x.dispose();
    await expect(
      rtkMala.sample({
        model: sharp,
        n: 8,
        nfe: 2000,
        rng: createRng(3),
        segments: 'curvature',
        maxSegments: 3,
      }),
    ).rejects.toThrow(/needs more than 3 segments/);
  });
});

describe('the curvature-aware inner step size of ALGORITHMS.md §5', () => {
  const model = gaussianModel({ mean: [0.5, -0.5], covariance: [0.05, 0.5] });

  test('κ = L(a′) + r/(1 − r); τ = c/κ (MALA, ULA) and h = c/√κ (ULD)', () => {
    expect(subproblemCurvature(undefined, 0.25, 0.5)).toBeCloseTo(1, 12); // r = 1/2: r/(1 − r) = 1
    expect(subproblemCurvature(() => 3, 0.25, 0.5)).toBeCloseTo(4, 12);
    expect(curvatureStepSize('inverse', 0.3, 4)).toBeCloseTo(0.075, 12);
    expect(curvatureStepSize('inverseSqrt', 0.5, 4)).toBeCloseTo(0.25, 12);
  });

  test.each([
    [rtkMala, 0.3, (k: number) => 0.3 / k],
    [rtkUla, 0.1, (k: number) => 0.1 / k],
    [rtkUld, 0.5, (k: number) => 0.5 / Math.sqrt(k)],
  ] as const)(
    '%#: every segment reports the step size of its subproblem (c = %d)',
    async (sampler, _c, rule) => {
      const result = await sampler.sample({ model, n: 4, nfe: 60, rng: createRng(1) });
      const { levels, stepInfo } = result.trace;
      stepInfo.forEach((info, k) => {
        const [a, aNext] = [levels[k]!, levels[k + 1]!];
        // L(a') for N(μ, diag(v)) at level a' is 1 / min_j (a' v_j + 1 − a')
        const bound = 1 / (aNext * 0.05 + 1 - aNext);
        expect(info.stepSize).toBeCloseTo(rule(bound + a / aNext / (1 - a / aNext)), 10);
      });
      result.x.dispose();
    },
  );
});
