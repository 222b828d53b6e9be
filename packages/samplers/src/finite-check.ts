/**
 * The shared loop's NaN/Inf detection: after every step the new x must be finite, and a run that goes non-finite
 * stops with `E_NUMERIC` naming the first such step and its levels.
 *
 * How it is checked depends on where the backend keeps its tensors:
 * - `host` (wasm, cpu: a read is a memory access): `allFinite` of `@rtk-diffusion/tensor` scans the values in place
 *   (one WebAssembly SIMD pass, no tfjs kernel and no copy), or knows the answer already when a kernel of that package
 *   wrote x (the fused noisy update, the row selection count as they write). Checked at once, every step.
 * - `deferred` (tensorflow, webgl, webgpu: a read waits for the device): `tf.all(tf.isFinite(x))` stays on the device
 *   as one boolean per step, and the flags are read together every {@link DEFERRED_READ_EVERY} steps, before every
 *   `onStep` call (so a callback never sees a non-finite x), before an error from a step is passed on, and at the end.
 *   The first false flag names the step; the steps after it computed on NaN in the meantime and are discarded.
 * - `each-step`: the previous behaviour (isFinite + all + one read every step), kept to measure the others against.
 */
import {
  allFinite,
  finiteFlag,
  hostBackend,
  RtkError,
  type Scalar,
  type Tensor,
  tf,
} from '@rtk-diffusion/tensor';

/** How the loop checks each step's x. */
export type FiniteCheckMode = 'host' | 'deferred' | 'each-step';

/** Steps whose flags a deferred check reads at once. */
export const DEFERRED_READ_EVERY = 10;

let forced: FiniteCheckMode | undefined;

/**
 * Forces a check mode for every later run (tests and benchmarks), or restores the default (`'auto'`: `host` on the
 * wasm and cpu backends, `deferred` elsewhere).
 *
 * @internal
 */
export function setFiniteCheck(mode: FiniteCheckMode | 'auto'): void {
  forced = mode === 'auto' ? undefined : mode;
}

/** Where a step went: the levels it walked. */
interface StepPlace {
  readonly step: number;
  readonly a: number;
  readonly aNext: number;
}

/** One run's checker. */
export class FiniteCheck {
  readonly mode: FiniteCheckMode;
  readonly #sampler: string;
  #pending: { readonly place: StepPlace; readonly flag: Scalar }[] = [];

  constructor(sampler: string) {
    this.#sampler = sampler;
    this.mode = forced ?? (hostBackend() === null ? 'deferred' : 'host');
  }

  /** Checks (or, deferred, records) step `place`'s output x. Throws `E_NUMERIC` when a checked step was non-finite. */
  afterStep(x: Tensor, place: StepPlace): void {
    if (this.mode === 'deferred') {
      this.#pending.push({ place, flag: finiteFlag(x) });
      if (this.#pending.length >= DEFERRED_READ_EVERY) this.flush();
      return;
    }
    const finite =
      this.mode === 'host' ? allFinite(x) : tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0]) === 1;
    if (!finite) throw this.#error(place);
  }

  /** Reads the pending flags (one read) and throws `E_NUMERIC` for the first non-finite step among them. */
  flush(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const flags = tf.tidy(() => tf.stack(pending.map((p) => p.flag)).dataSync());
    tf.dispose(pending.map((p) => p.flag));
    const first = flags.findIndex((flag) => flag !== 1);
    if (first >= 0) throw this.#error(pending[first]!.place);
  }

  /**
   * For an error thrown by step `place`: the `E_NUMERIC` error of an earlier step that went non-finite unnoticed
   * (deferred), which is the real first failure, else `error` itself.
   */
  firstFailure(error: unknown): unknown {
    try {
      this.flush();
    } catch (earlier) {
      return earlier;
    }
    return error;
  }

  /** Frees pending flags (after a failure). */
  dispose(): void {
    tf.dispose(this.#pending.map((p) => p.flag));
    this.#pending = [];
  }

  #error({ step, a, aNext }: StepPlace): RtkError {
    return new RtkError(
      'E_NUMERIC',
      `${this.#sampler}: NaN or Inf appeared at step ${step} (level a = ${a} → ${aNext}); check the model and the grid`,
      { details: { step, a, aNext } },
    );
  }
}
