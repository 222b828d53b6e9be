/**
 * Adam with global-norm gradient clipping, and an exponential moving average (EMA) of the weights, over a fixed list of
 * variables whose state is indexed by position (tfjs-layers makes variable names unique per process, so names do not
 * survive a restart; positions in `model.weights` do). State goes to and from host arrays for checkpoints.
 *
 * Adam (Kingma & Ba 2015, with the bias correction folded into the step size):
 *   m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,  θ ← θ − η √(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε).
 * Learning rate of update t (1-based), η_t = η · w_t · c_t: a linear warm-up w_t = min(1, t / W) over W steps (W = 0: none)
 * and a cosine decay c_t = f + (1 − f) · ½ (1 + cos(π · min(t, D) / D)) over D steps to the floor f = {@link LR_FLOOR}
 * (D = 0: constant), staying at f η after step D (so a run resumed past D goes on at the floor).
 * Clipping: g ← g · min(1, c / ‖g‖) with ‖g‖ the norm of all gradients together.
 * EMA: θ̄ ← d_t θ̄ + (1 − d_t) θ with d_t = min(d, (1 + t)/(10 + t)) (a warm-up, so early averages are not stuck at
 * the initial weights).
 */
import { tf } from '@rtk-diffusion/tensor';

/** The fraction of the learning rate a cosine decay ends at. */
export const LR_FLOOR = 0.1;

/** The learning-rate schedule: warm-up and cosine-decay lengths in steps (0: none). */
export interface LearningRateSchedule {
  readonly warmupSteps: number;
  readonly decaySteps: number;
}

/** The multiplier w_t · c_t of the learning rate at update t ≥ 1 (see the module comment). */
export function learningRateFactor(schedule: LearningRateSchedule, t: number): number {
  const { warmupSteps, decaySteps } = schedule;
  const warm = warmupSteps > 0 ? Math.min(1, t / warmupSteps) : 1;
  const cosine =
    decaySteps > 0
      ? LR_FLOOR + (1 - LR_FLOOR) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps))
      : 1;
  return warm * cosine;
}

/** Adam's settings. */
export interface AdamOptions {
  readonly learningRate: number;
  /** Warm-up steps W (default 0). */
  readonly warmupSteps?: number;
  /** Cosine-decay steps D (default 0: constant). */
  readonly decaySteps?: number;
  /** Global gradient-norm bound c (0 or Infinity: no clipping). */
  readonly clipNorm: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** Adam state on the host: steps taken and the two moments, in variable order. */
export interface AdamState {
  readonly step: number;
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/** Adam over a list of variables. */
export interface Adam {
  /** Applies one update from gradients in variable order (not disposed); returns the pre-clip gradient norm. */
  apply(grads: readonly tf.Tensor[]): tf.Scalar;
  state(): AdamState;
  dispose(): void;
}

function zerosLike(variables: readonly tf.Variable[]): tf.Variable[] {
  return tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v), false)));
}

function restore(targets: readonly tf.Variable[], values: readonly Float32Array[] | undefined): void {
  if (values === undefined) return;
  targets.forEach((target, i) => {
    tf.tidy(() => target.assign(tf.tensor(values[i]!, target.shape, 'float32')));
  });
}

function host(variables: readonly tf.Variable[]): Float32Array[] {
  return variables.map((v) => (v.dataSync() as Float32Array).slice());
}

/** An Adam optimizer for `variables`, optionally resuming from `state`. */
export function createAdam(variables: readonly tf.Variable[], options: AdamOptions, state?: AdamState): Adam {
  const { learningRate, clipNorm } = options;
  const schedule = { warmupSteps: options.warmupSteps ?? 0, decaySteps: options.decaySteps ?? 0 };
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  const m = zerosLike(variables);
  const v = zerosLike(variables);
  restore(m, state?.m);
  restore(v, state?.v);
  let step = state?.step ?? 0;
  return {
    apply(grads) {
      step += 1;
      const size =
        learningRate *
        learningRateFactor(schedule, step) *
        (Math.sqrt(1 - beta2 ** step) / (1 - beta1 ** step));
      return tf.tidy(() => {
        const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
        const factor =
          clipNorm > 0 && Number.isFinite(clipNorm)
            ? tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-12)))
            : tf.scalar(1);
        variables.forEach((variable, i) => {
          const g = tf.mul(grads[i]!, factor);
          m[i]!.assign(tf.add(tf.mul(m[i]!, beta1), tf.mul(g, 1 - beta1)));
          v[i]!.assign(tf.add(tf.mul(v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2)));
          variable.assign(tf.sub(variable, tf.mul(tf.div(m[i]!, tf.add(tf.sqrt(v[i]!), epsilon)), size)));
        });
        return norm as tf.Scalar;
      });
    },
    state: () => ({ step, m: host(m), v: host(v) }),
    dispose: () => tf.dispose([...m, ...v]),
  };
}

/** An exponential moving average of variables. */
export interface WeightAverage {
  /** Folds in the current values after update number `step` (1-based). */
  update(step: number): void;
  values(): Float32Array[];
  dispose(): void;
}

/** An EMA of `variables` with decay `decay` ∈ [0, 1), started at their current values or at `initial`. */
export function createWeightAverage(
  variables: readonly tf.Variable[],
  decay: number,
  initial?: readonly Float32Array[],
): WeightAverage {
  const average = tf.tidy(() => variables.map((v) => tf.variable(tf.clone(v), false)));
  restore(average, initial);
  return {
    update(step) {
      const d = Math.min(decay, (1 + step) / (10 + step));
      tf.tidy(() => {
        average.forEach((a, i) => {
          a.assign(tf.add(tf.mul(a, d), tf.mul(variables[i]!, 1 - d)));
        });
      });
    },
    values: () => host(average),
    dispose: () => tf.dispose(average),
  };
}
