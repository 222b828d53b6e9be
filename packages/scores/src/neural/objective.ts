/**
 * The denoising score-matching objective for one batch (ALGORITHMS.md §1 conventions).
 *
 * Levels: λ = log(a / (1 − a)) uniform on [λ(aMin), λ(aMax)] (the range the embedding covers), a = 1 / (1 + e^{−λ}).
 * Noising: x_a = sqrt(a) x0 + sqrt(1 − a) ε. The network is regressed on the target of its head:
 *   ε-head: ε;  x0-head: x0;  v-head: v = sqrt(a) ε − sqrt(1 − a) x0.
 * Loss: mean over rows of w(a) · ‖prediction − target‖² / d.
 * Weighting `simple` (Ho et al. 2020): w = 1 in the head's own space. In terms of the score-matching loss
 * E‖s_θ(x_a, a) − ∇ log p(x_a | x0)‖² it weighs level a by (1 − a) for ε, (1 − a)²/a for x0 and (1 − a)/a for v.
 * Weighting `min-snr` (Hang et al. 2023, γ = 5): the x0-space weight min(SNR, γ), SNR = a / (1 − a), written in the
 * head's space: min(SNR, γ)/SNR for ε, min(SNR, γ) for x0, min(SNR, γ)/(SNR + 1) for v.
 * A teacher score model (in model space: `train.ts` maps a data-space one with `modelSpaceTeacher`) replaces the noise target by its own prediction, toPrediction(teacher, head, x_a, a); a score
 * model takes one level per call, so the batch is cut into {@link TEACHER_LEVELS} groups of rows that share a level.
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { tf } from '@rtk-diffusion/tensor';
import { toPrediction } from '../prediction.js';
import type { ScoreModel } from '../types.js';
import type { LossWeighting } from './checkpoint.js';
import { type LevelRange, logSnr } from './embedding.js';
import type { NetworkPredictionType } from './metadata.js';

/** Distinct levels per batch when a teacher gives the targets (one teacher call each). */
export const TEACHER_LEVELS = 8;

/** γ of the Min-SNR weighting (Hang et al. 2023). */
export const MIN_SNR_GAMMA = 5;

/** One training batch: levels (host, float64) and tensors x_a, target and row weights. */
export interface Batch {
  readonly levels: Float64Array;
  readonly noised: tf.Tensor2D;
  readonly target: tf.Tensor2D;
  readonly rowWeights: tf.Tensor1D;
}

/** The levels of one batch: `count` draws of λ uniform on the range, mapped to a (row-keyed, from `rng`). */
export function drawLevels(count: number, range: LevelRange, rng: Rng): Float64Array {
  const low = logSnr(range.aMin);
  const high = logSnr(range.aMax);
  const u = rng.uniformArray(count, 1);
  return Float64Array.from(u, (ui) => 1 / (1 + Math.exp(-(low + (high - low) * ui))));
}

/** The loss weight w(a) of a weighting for a head (see the module comment). */
export function levelWeight(weighting: LossWeighting, head: NetworkPredictionType, a: number): number {
  if (weighting === 'simple') return 1;
  const snr = a / (1 - a);
  const clipped = Math.min(snr, MIN_SNR_GAMMA);
  return head === 'epsilon' ? clipped / snr : head === 'x0' ? clipped : clipped / (snr + 1);
}

/**
 * Builds the batch for clean rows x0 [B, d] (model space) with this step's rng. Tensors are new (call inside a tidy).
 * Draws: `rng.fork('levels')` (B levels, or one with a teacher) and `rng.fork('noise')` ([B, d]).
 */
export function makeBatch(
  x0: tf.Tensor2D,
  head: NetworkPredictionType,
  range: LevelRange,
  weighting: LossWeighting,
  rng: Rng,
  teacher?: ScoreModel,
): Batch {
  const [rows, d] = x0.shape;
  const groups = Math.min(TEACHER_LEVELS, rows);
  const drawn = drawLevels(teacher === undefined ? rows : groups, range, rng.fork('levels'));
  const groupOf = (i: number) => Math.floor((i * groups) / rows);
  const levels =
    teacher === undefined ? drawn : Float64Array.from({ length: rows }, (_, i) => drawn[groupOf(i)]!);
  const signal = tf.tensor2d(Float32Array.from(levels, Math.sqrt), [rows, 1]);
  const noise = tf.tensor2d(
    Float32Array.from(levels, (a) => Math.sqrt(1 - a)),
    [rows, 1],
  );
  const epsilon = rng.fork('noise').normal([rows, d]);
  const noised: tf.Tensor2D = tf.add(tf.mul(signal, x0), tf.mul(noise, epsilon));
  let target: tf.Tensor2D;
  if (teacher !== undefined) target = teacherTargets(teacher, head, noised, levels, groupOf);
  else if (head === 'epsilon') target = epsilon;
  else if (head === 'x0') target = x0;
  else target = tf.sub<tf.Tensor2D>(tf.mul(signal, epsilon), tf.mul(noise, x0));
  const rowWeights = tf.tensor1d(Float32Array.from(levels, (a) => levelWeight(weighting, head, a)));
  return { levels, noised, target, rowWeights };
}

/** The teacher's predictions, one call per group of rows with a common level (groups are contiguous). */
function teacherTargets(
  teacher: ScoreModel,
  head: NetworkPredictionType,
  noised: tf.Tensor2D,
  levels: Float64Array,
  groupOf: (i: number) => number,
): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < levels.length; ) {
    let end = start + 1;
    while (end < levels.length && groupOf(end) === groupOf(start)) end += 1;
    const rows = tf.slice(noised, [start, 0], [end - start, -1]);
    parts.push(toPrediction(teacher, head, rows, levels[start]!));
    start = end;
  }
  return tf.concat(parts, 0);
}

/** The weighted loss: mean over rows of w_i · mean_j (prediction − target)²_ij. */
export function batchLoss(prediction: tf.Tensor2D, batch: Batch): tf.Scalar {
  return tf.tidy(() =>
    tf.mean(tf.mul(tf.mean(tf.square(tf.sub(prediction, batch.target)), 1), batch.rowWeights)),
  );
}
