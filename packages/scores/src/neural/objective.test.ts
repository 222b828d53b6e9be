import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { describe, expect, it } from 'vitest';
import type { LossWeighting } from './checkpoint.js';
import { DEFAULT_LEVEL_RANGE, logSnr } from './embedding.js';
import type { NetworkPredictionType } from './metadata.js';
import { batchLoss, drawLevels, MIN_SNR_GAMMA, makeBatch } from './objective.js';

const HEADS: readonly NetworkPredictionType[] = ['epsilon', 'x0', 'v'];
const ROWS = 16;
const DIM = 3;

function host(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

/** The host arrays of a batch of one head from a seed, and optionally the loss of a prediction on it. */
function batchOf(
  head: NetworkPredictionType,
  weighting: LossWeighting,
  seed: number,
  prediction?: Float32Array,
) {
  // makeBatch returns new tensors and leaves its intermediates to the caller's tidy.
  let out: {
    x0: Float64Array;
    levels: Float64Array;
    noised: Float64Array;
    target: Float64Array;
    loss: number;
  };
  tf.tidy(() => {
    const rng = createRng(seed);
    const x0 = tf.tensor2d(rng.fork('x0').normalArray(ROWS, DIM), [ROWS, DIM]);
    const batch = makeBatch(x0, head, DEFAULT_LEVEL_RANGE, weighting, rng.fork('step'));
    out = {
      x0: host(x0),
      levels: batch.levels,
      noised: host(batch.noised),
      target: host(batch.target),
      loss:
        prediction === undefined
          ? Number.NaN
          : batchLoss(tf.tensor2d(prediction, [ROWS, DIM]), batch).dataSync()[0]!,
    };
  });
  return out!;
}

describe('drawLevels', () => {
  it('draws log-SNR uniform on the range: Kolmogorov–Smirnov distance below the 1 % critical value', () => {
    const n = 4000;
    const levels = drawLevels(n, DEFAULT_LEVEL_RANGE, createRng(3));
    const low = logSnr(DEFAULT_LEVEL_RANGE.aMin);
    const high = logSnr(DEFAULT_LEVEL_RANGE.aMax);
    const u = Array.from(levels, (a) => (Math.log(a / (1 - a)) - low) / (high - low)).sort((p, q) => p - q);
    let distance = 0;
    for (const [i, ui] of u.entries()) distance = Math.max(distance, (i + 1) / n - ui, ui - i / n);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1e-12);
    expect(Math.max(...u)).toBeLessThanOrEqual(1 + 1e-12);
    // Under H0 (seeded, so fixed), √n D exceeds 1.63 with probability 1 %. A draw uniform in a instead of λ
    // (the negative control) puts most mass at the ends of the λ range and gives D ≈ 0.3.
    expect(distance).toBeLessThan(1.63 / Math.sqrt(n));
  });
});

describe('makeBatch', () => {
  test.prop([fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(...HEADS)], { numRuns: 20 })(
    'noises x_a = sqrt(a) x0 + sqrt(1 − a) ε and targets ε, x0 or v = sqrt(a) ε − sqrt(1 − a) x0 (float64 reference)',
    (seed, head) => {
      const out = batchOf(head, 'simple', seed);
      // The noise draw is rng.fork('step').fork('noise').normal([B, d]): redraw it on the host.
      const epsilon = createRng(seed).fork('step').fork('noise').normalArray(ROWS, DIM);
      for (let i = 0; i < ROWS; i++) {
        const a = out.levels[i]!;
        for (let j = 0; j < DIM; j++) {
          const k = i * DIM + j;
          const e = epsilon[k]!;
          const x = out.x0[k]!;
          expect(out.noised[k]).toBeCloseTo(Math.sqrt(a) * x + Math.sqrt(1 - a) * e, 5);
          const expected =
            head === 'epsilon' ? e : head === 'x0' ? x : Math.sqrt(a) * e - Math.sqrt(1 - a) * x;
          expect(out.target[k]).toBeCloseTo(expected, 5);
        }
      }
    },
  );

  /**
   * The heads are one estimator written three ways: an x0 estimate x̂0 at x_a means ε̂ = (x_a − sqrt(a) x̂0)/sqrt(1 − a)
   * and v̂ = sqrt(a) ε̂ − sqrt(1 − a) x̂0, so ‖ε̂ − ε‖² = SNR ‖x̂0 − x0‖² and ‖v̂ − v‖² = (SNR + 1) ‖x̂0 − x0‖². Min-SNR
   * (Hang et al. 2023) weighs every head so that the loss is mean_i min(SNR_i, γ) ‖x̂0 − x0‖²_i / d, the same number for
   * all three; `simple` weighs each head's own error by 1, so the losses differ by those factors.
   */
  test.prop([fc.integer({ min: 0, max: 10_000 })], { numRuns: 15 })(
    'min-snr: the ε, x0 and v losses of one x0 estimate equal mean min(SNR, 5) ‖x̂0 − x0‖²/d; simple: SNR and SNR + 1 factors',
    (seed) => {
      const x0Hat = createRng(seed + 1).normalArray(ROWS, DIM);
      const out = batchOf('x0', 'simple', seed);
      const lossOf = (head: NetworkPredictionType, weighting: LossWeighting): number => {
        const prediction = new Float32Array(ROWS * DIM);
        for (let i = 0; i < ROWS; i++) {
          const a = out.levels[i]!;
          for (let j = 0; j < DIM; j++) {
            const k = i * DIM + j;
            const eHat = (out.noised[k]! - Math.sqrt(a) * x0Hat[k]!) / Math.sqrt(1 - a);
            prediction[k] =
              head === 'x0'
                ? x0Hat[k]!
                : head === 'epsilon'
                  ? eHat
                  : Math.sqrt(a) * eHat - Math.sqrt(1 - a) * x0Hat[k]!;
          }
        }
        return batchOf(head, weighting, seed, prediction).loss;
      };
      const reference = (factor: (snr: number) => number) => {
        let sum = 0;
        for (let i = 0; i < ROWS; i++) {
          const snr = out.levels[i]! / (1 - out.levels[i]!);
          let squares = 0;
          for (let j = 0; j < DIM; j++) squares += (x0Hat[i * DIM + j]! - out.x0[i * DIM + j]!) ** 2;
          sum += (factor(snr) * squares) / DIM;
        }
        return sum / ROWS;
      };
      const minSnr = reference((snr) => Math.min(snr, MIN_SNR_GAMMA));
      for (const head of HEADS) expect(lossOf(head, 'min-snr') / minSnr).toBeCloseTo(1, 3);
      expect(lossOf('x0', 'simple') / reference(() => 1)).toBeCloseTo(1, 3);
      expect(lossOf('epsilon', 'simple') / reference((snr) => snr)).toBeCloseTo(1, 3);
      expect(lossOf('v', 'simple') / reference((snr) => snr + 1)).toBeCloseTo(1, 3);
    },
  );
});
