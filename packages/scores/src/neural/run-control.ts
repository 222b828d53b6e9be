/** Cancellation and event-loop turns for long training loops (browser-safe). */
import { RtkError, ValidationError } from '@rtk-diffusion/tensor';

/** Milliseconds of computing between two turns of the event loop (so timers, abort signals and UIs run). */
export const YIELD_INTERVAL_MS = 50;

/** Throws an `E_ABORTED` error when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, where: string, step: number): void {
  if (signal?.aborted) {
    throw new RtkError('E_ABORTED', `${where}: aborted after ${step} completed steps`, {
      details: { step },
      cause: signal.reason,
    });
  }
}

/** A function that lets the event loop turn when more than {@link YIELD_INTERVAL_MS} passed since its last turn. */
export function createYielder(): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < YIELD_INTERVAL_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = Date.now();
  };
}

/** Checks that `value` is an integer ≥ `min`. */
export function integerAtLeast(value: number, min: number, name: string, where: string): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(`${where}: ${name} must be an integer ≥ ${min}, got ${value}`, {
      [name]: value,
    });
  }
  return value;
}
