/**
 * The stochastic updates now computed by `rng.noisyUpdate` (DDPM in both variances, DDIM with η > 0, the accelerated
 * stochastic sampler) give the same samples, bit for bit, as the tfjs ops they replaced (written out here as they
 * were: `normal()` from the step's stream, then tf.mul / tf.add / tf.div), on the cpu and wasm backends; a wrong
 * coefficient in the reference changes the bits (the comparison can fail). RTK's 'ddpm' start makes the same call as
 * DDPM; the kernel itself is compared with the ops on random inputs in @rtk-diffusion/tensor (noisy-update.test.ts).
 */
import { mixtureModel } from '@rtk-diffusion/scores';
import { createRng, initBackend, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accelStoch } from './accel-stoch.js';
import { ddim } from './ddim.js';
import { ddpm } from './ddpm.js';
import { fixedCost } from './grid.js';
import { runSampler } from './loop.js';
import type { StepContext } from './types.js';

const model = mixtureModel({
  weights: [0.3, 0.7],
  means: [
    [1, -1, 0.5],
    [-2, 0.5, 1],
  ],
  covariances: [0.2, 0.6],
});
const NFE = 40;
const n = 37;

function bits(x: tf.Tensor): number[] {
  return Array.from(new Uint32Array((x.dataSync() as Float32Array).slice().buffer));
}

/** A sampler with the given step on the DDPM default grid, through the shared loop. */
async function reference(step: (x: Tensor2D, c: StepContext) => tf.Tensor): Promise<number[]> {
  const result = await runSampler(
    {
      name: 'reference',
      cost: fixedCost('reference', 1),
      defaultGrid: { schedule: 'linear', options: { spacing: 'trailing' } },
      createStepper: () => ({ step: (x, c) => tf.tidy(() => step(x, c) as Tensor2D) }),
    },
    { model, n, nfe: NFE, rng: createRng(3) },
  );
  const out = bits(result.x);
  result.x.dispose();
  return out;
}

/** DDPM as the tfjs ops it was, with noise variance `variance(a, aNext, α)`. */
function ddpmByOps(variance: (a: number, aNext: number, alpha: number) => number) {
  return (x: Tensor2D, { a, aNext, alpha, score, normal }: StepContext) => {
    const beta = 1 - alpha;
    const mean = tf.div(tf.add(x, tf.mul(score(x, a), beta)), Math.sqrt(alpha));
    return tf.add(mean, tf.mul(normal(), Math.sqrt(variance(a, aNext, alpha))));
  };
}

async function sampleBits(run: Promise<{ x: Tensor2D }>): Promise<number[]> {
  const { x } = await run;
  const out = bits(x);
  x.dispose();
  return out;
}

describe.each(['wasm', 'cpu'] as const)('on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });
  afterAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  test('ddpm (seed and posterior variance) equals its tfjs ops, bit for bit', async () => {
    const seed = (_a: number, _aNext: number, alpha: number) => (1 - alpha) / alpha;
    const posterior = (a: number, aNext: number, alpha: number) => ((1 - alpha) * (1 - aNext)) / (1 - a);
    expect(await sampleBits(ddpm.sample({ model, n, nfe: NFE, rng: createRng(3) }))).toEqual(
      await reference(ddpmByOps(seed)),
    );
    expect(
      await sampleBits(ddpm.sample({ model, n, nfe: NFE, rng: createRng(3), variance: 'posterior' })),
    ).toEqual(await reference(ddpmByOps(posterior)));
    // Negative control: σ² = β instead of β/α.
    expect(await sampleBits(ddpm.sample({ model, n, nfe: NFE, rng: createRng(3) }))).not.toEqual(
      await reference(ddpmByOps((_a, _b, alpha) => 1 - alpha)),
    );
  });

  test('accel-stoch equals its tfjs ops, bit for bit', async () => {
    const byOps = await reference((y, { a, alpha, score, normal }) => {
      const noiseScale = Math.sqrt((1 - alpha) / 2);
      const yPlus = tf.add(y, tf.mul(normal(), noiseScale)) as Tensor2D;
      const drift = tf.add(yPlus, tf.mul(score(yPlus, a), 1 - alpha));
      return tf.div(tf.add(drift, tf.mul(normal(), noiseScale)), Math.sqrt(alpha));
    });
    expect(await sampleBits(accelStoch.sample({ model, n, nfe: NFE, rng: createRng(3) }))).toEqual(byOps);
  });

  test('ddim with η = 0.6 equals its tfjs ops, bit for bit', async () => {
    const eta = 0.6;
    const result = await runSampler(
      {
        name: 'reference',
        cost: fixedCost('reference', 1),
        defaultGrid: ddim.defaultGrid({}),
        createStepper: () => ({
          step: (x, { a, aNext, score, normal }) =>
            tf.tidy(() => {
              const s = score(x, a);
              const x0 = tf.div(tf.add(x, tf.mul(s, 1 - a)), Math.sqrt(a));
              const epsilon = tf.mul(s, -Math.sqrt(1 - a));
              const sigma = eta * Math.sqrt((1 - aNext) / (1 - a)) * Math.sqrt(1 - a / aNext);
              const direction = Math.sqrt(Math.max(0, 1 - aNext - sigma * sigma));
              const next = tf.add(tf.mul(x0, Math.sqrt(aNext)), tf.mul(epsilon, direction)) as Tensor2D;
              return tf.add(next, tf.mul(normal(), sigma)) as Tensor2D;
            }),
        }),
      },
      { model, n, nfe: NFE, rng: createRng(3) },
    );
    const expected = bits(result.x);
    result.x.dispose();
    expect(await sampleBits(ddim.sample({ model, n, nfe: NFE, rng: createRng(3), eta }))).toEqual(expected);
  });
});
