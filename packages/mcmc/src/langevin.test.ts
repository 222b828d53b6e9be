/**
 * `drawLangevinProposal` (the fused pass of `Rng.noisyUpdate` for a shared τ) against `langevinProposal` on
 * `rng.normal` (the tfjs ops it replaces), bit for bit, on the cpu and wasm backends, for random batches and step sizes,
 * shared and per chain; adding the two terms in the other order gives other bits (the comparison can fail).
 */
import { fc, test } from '@fast-check/vitest';
import { createRng, initBackend, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { drawLangevinProposal, langevinProposal } from './langevin.js';
import { stepSizeTensor } from './step-size.js';

function bits(x: tf.Tensor): number[] {
  return Array.from(new Uint32Array((x.dataSync() as Float32Array).slice().buffer));
}

describe.each(['cpu', 'wasm'] as const)('on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });
  afterAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 300 }),
      fc.integer({ min: 1, max: 20 }),
      fc.double({ min: 1e-6, max: 5, noNaN: true }),
      fc.boolean(),
      fc.nat(1000),
    ],
    { numRuns: 40, seed: 12 },
  )('equals langevinProposal on rng.normal, bit for bit', (n, d, tau, perChain, seed) => {
    tf.tidy(() => {
      const x = createRng(seed).normal([n, d]);
      const grad = tf.mul(createRng(seed + 1).normal([n, d]), 3) as Tensor2D;
      const stepSize = perChain ? Array.from({ length: n }, (_, i) => tau * (1 + i / n)) : tau;
      const tauTensor = stepSizeTensor('test', stepSize, n);
      const fused = drawLangevinProposal(x, grad, stepSize, tauTensor, createRng(seed + 2).fork('proposal'));
      const byOps = langevinProposal(
        x,
        grad,
        tauTensor,
        createRng(seed + 2)
          .fork('proposal')
          .normal([n, d]),
      );
      expect(bits(fused)).toEqual(bits(byOps));
    });
  });

  test('the terms added in the other order give other bits', () => {
    tf.tidy(() => {
      const [n, d, tau] = [500, 7, 0.37];
      const x = createRng(1).normal([n, d]);
      const grad = tf.mul(createRng(2).normal([n, d]), 3) as Tensor2D;
      const fused = drawLangevinProposal(x, grad, tau, tf.scalar(tau), createRng(3));
      const z = createRng(3).normal([n, d]);
      const reordered = tf.add(tf.add(x, tf.mul(tf.sqrt(tf.scalar(2 * tau)), z)), tf.mul(tau, grad));
      expect(bits(fused)).not.toEqual(bits(reordered));
    });
  });
});
