/**
 * Typed errors shared by every rtk-diffusion package.
 *
 * Every error thrown on purpose is an {@link RtkError} with a stable {@link RtkErrorCode}, so callers (the CLI, the
 * benchmarks, user code) can branch on `error.code` instead of parsing messages.
 */

/** Stable machine-readable error codes. */
export type RtkErrorCode =
  /** A tensor has the wrong rank, shape or dtype. */
  | 'E_SHAPE'
  /** An option or argument is out of range or malformed. */
  | 'E_VALIDATION'
  /** A compute backend could not be initialised or is not installed. */
  | 'E_BACKEND'
  /** NaN or Inf appeared in a computation. */
  | 'E_NUMERIC'
  /** An NFE budget is too small for the method. */
  | 'E_BUDGET'
  /** A run was cancelled through an AbortSignal. */
  | 'E_ABORTED'
  /** Reading or writing a file failed. */
  | 'E_IO'
  /** A function left tensors allocated (see `expectNoTensorLeak`). */
  | 'E_TENSOR_LEAK'
  /** A name (sampler, target, schedule) is unknown. */
  | 'E_UNKNOWN_NAME';

/** Base class of every error that rtk-diffusion throws on purpose. */
export class RtkError extends Error {
  /** Stable code for programmatic handling. */
  readonly code: RtkErrorCode;
  /** Optional structured context (offending value, expected value, step, …). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: RtkErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** A tensor has the wrong rank, shape or dtype. */
export class ShapeError extends RtkError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_SHAPE', message, details === undefined ? {} : { details });
  }
}

/** An option or argument is out of range or malformed. */
export class ValidationError extends RtkError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_VALIDATION', message, details === undefined ? {} : { details });
  }
}

/** A compute backend could not be initialised or is not installed. */
export class BackendError extends RtkError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('E_BACKEND', message, options);
  }
}

/** A function left tensors allocated. */
export class TensorLeakError extends RtkError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_TENSOR_LEAK', message, details === undefined ? {} : { details });
  }
}

/** True when `error` is an {@link RtkError}, optionally with the given code. */
export function isRtkError(error: unknown, code?: RtkErrorCode): error is RtkError {
  return error instanceof RtkError && (code === undefined || error.code === code);
}
