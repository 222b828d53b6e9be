/**
 * RTK on a 1-D two-mode mixture with unequal weights: p_0 = 0.25 N(−2, 0.05) + 0.75 N(2, 0.05).
 */
import { mixtureModel } from '@rtk-diffusion/scores';
import { createRng } from '@rtk-diffusion/tensor';
import { normalCdf } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { ddpm } from './ddpm.js';
import { rtkMala } from './rtk-mala.js';

const spec = { weights: [0.25, 0.75], means: [[-2], [2]], covariances: [0.05, 0.05] };
const model = mixtureModel(spec);

/** Histogram TV (40 bins on [−4, 4], mass outside counted) between samples and the exact p_a. */
function histogramTv(values: Float32Array, a: number): number {
  const bins = 40;
  const [low, high] = [-4, 4];
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const b = Math.floor((v - low) / width);
    if (b >= 0 && b < bins) counts[b]!++;
  }
  let tv = 0;
  let covered = 0;
  let sampled = 0;
  for (let b = 0; b < bins; b++) {
    let p = 0;
    spec.weights.forEach((w, i) => {
      const m = Math.sqrt(a) * spec.means[i]![0]!;
      const s = Math.sqrt(a * 0.05 + 1 - a);
      p += w * (normalCdf((low + (b + 1) * width - m) / s) - normalCdf((low + b * width - m) / s));
    });
    covered += p;
    sampled += counts[b]! / values.length;
    tv += Math.abs(counts[b]! / values.length - p);
  }
  return 0.5 * (tv + Math.abs(1 - covered - (1 - sampled)));
}

describe('RTK-MALA on a two-mode mixture with unequal weights', () => {
  const n = 4000;

  test('with generous inner steps (curvature-rule segments), both mode weights are right within sampling error', async () => {
    const result = await rtkMala.sample({
      model,
      n,
      rng: createRng(11),
      segments: 'curvature',
      innerSteps: 50,
    });
    const x = (await result.x.data()) as Float32Array;
    result.x.dispose();
    const left = x.filter((v) => v < 0).length / n;
    // sd of a proportion: √(0.25 · 0.75 / n) = 0.0068; 4 sd = 0.027.
    expect(Math.abs(left - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / n));
  });

  test('with few inner steps it beats DDPM on the same uniform-time grid at equal NFE (the paper’s setting)', async () => {
    const nfe = 100;
    const grid = { schedule: 'ouUniform', options: { horizon: 4, delta: 1e-3 } } as const;
    const rtk = await rtkMala.sample({ model, n, nfe, rng: createRng(11) });
    const baseline = await ddpm.sample({ model, n, nfe, grid, rng: createRng(11) });
    const rtkTv = histogramTv((await rtk.x.data()) as Float32Array, rtk.trace.levels.at(-1)!);
    const baselineTv = histogramTv((await baseline.x.data()) as Float32Array, baseline.trace.levels.at(-1)!);
    rtk.x.dispose();
    baseline.x.dispose();
    // Measured with this seed: RTK-MALA 0.057, DDPM (uniform OU time) 0.164. The sampling floor of this TV estimate
    // at n = 4000 and 40 bins is ≈ 0.02 (DDPM with 1000 steps reaches 0.017), so a margin of 0.05 is a real gap.
    // Honest context: DDPM on its own linear grid reaches 0.037 at the same NFE here (ALGORITHMS.md §7 saw the same:
    // the baseline's grid decides most of the paper's gap); apps/bench compares every sampler on its best grid.
    expect(rtkTv).toBeLessThan(baselineTv - 0.05);
  });
});
