/**
 * Exit codes of the `rtk` command and the mapping from errors to them. Scripts may rely on these numbers; they are
 * listed in the README and in `rtk --help`.
 */
import { isRtkError, RtkError, type RtkErrorCode } from '@rtk-diffusion/tensor';
import { closest } from 'fastest-levenshtein';

/** The exit codes of `rtk` (and of the benchmarks app). Stable: scripts may branch on them. */
export const EXIT_CODES: Readonly<{
  ok: 0;
  internal: 1;
  usage: 2;
  budget: 3;
  io: 4;
  numeric: 5;
  backend: 6;
  regression: 7;
  interrupted: 130;
}> = Object.freeze({
  /** Success. */
  ok: 0,
  /** An unexpected internal error (a bug: please report it with the command line). */
  internal: 1,
  /** Bad arguments: a missing or malformed option, an unknown name, an invalid spec or sample file. */
  usage: 2,
  /** The NFE budget is too small for the sampler (`E_BUDGET`). */
  budget: 3,
  /** A file could not be read or written (`E_IO`). */
  io: 4,
  /** NaN or Inf appeared (a sampler diverged, or a sample file holds non-finite values) (`E_NUMERIC`). */
  numeric: 5,
  /** The compute backend could not start (`E_BACKEND`). */
  backend: 6,
  /** `compare` found an accuracy regression beyond noise. */
  regression: 7,
  /** Interrupted (Ctrl-C / SIGINT, `E_ABORTED`), like a shell's 128 + 2. */
  interrupted: 130,
});

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A usage error of the command line (bad option value, conflicting options): exit code 2. */
export class UsageError extends RtkError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_VALIDATION', message, details === undefined ? {} : { details });
  }
}

/** A file could not be read or written (code `E_IO`): exit code 4. */
export class FileError extends RtkError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('E_IO', message, options);
  }
}

/**
 * A file's content is invalid (malformed JSON, CSV or .npy, an invalid spec, a wrong shape): code `E_VALIDATION`,
 * exit code 2 like any invalid input. A file that cannot be read or written at all is a {@link FileError} (exit 4).
 */
export class InvalidFileError extends RtkError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('E_VALIDATION', message, options);
  }
}

/**
 * The error for an unknown name (code `E_UNKNOWN_NAME`, exit code 2): `Unknown <kind> '<name>'. Did you mean
 * '<nearest>'? <Kinds>: a, b, c` (the nearest by Levenshtein distance), then `hint` if given.
 *
 * @param kind - what the name names, singular (`sampler`, `metric`, `option of rtk-mala`).
 * @param known - every valid name, in the order to list them.
 * @param name - the name that was given.
 * @param options - `listTitle`: how to introduce the list (default `Known:`); `hint`: a sentence appended at the end.
 */
export function unknownNameError(
  kind: string,
  name: string,
  known: readonly string[],
  options: { readonly listTitle?: string; readonly hint?: string } = {},
): RtkError {
  const suggestion = known.length === 0 ? undefined : closest(name, [...known]);
  const parts = [
    `Unknown ${kind} '${name}'.`,
    ...(suggestion === undefined ? [] : [`Did you mean '${suggestion}'?`]),
    `${options.listTitle ?? 'Known:'} ${known.length === 0 ? '(none)' : known.join(', ')}${options.hint === undefined ? '' : `; ${options.hint}`}`,
  ];
  return new RtkError('E_UNKNOWN_NAME', parts.join(' '), {
    details: { name, ...(suggestion === undefined ? {} : { suggestion }) },
  });
}

const BY_CODE: Readonly<Record<RtkErrorCode, ExitCode>> = {
  E_SHAPE: EXIT_CODES.usage,
  E_VALIDATION: EXIT_CODES.usage,
  E_UNKNOWN_NAME: EXIT_CODES.usage,
  E_BUDGET: EXIT_CODES.budget,
  E_IO: EXIT_CODES.io,
  E_NUMERIC: EXIT_CODES.numeric,
  E_BACKEND: EXIT_CODES.backend,
  E_ABORTED: EXIT_CODES.interrupted,
  E_TENSOR_LEAK: EXIT_CODES.internal,
};

/** The exit code for an error: by its `RtkError` code, 1 (internal) for anything else. */
export function exitCodeFor(error: unknown): ExitCode {
  return isRtkError(error) ? BY_CODE[error.code] : EXIT_CODES.internal;
}

/**
 * The one-paragraph message printed for an error, never a stack trace: `rtk: <message>`, and for an unexpected error
 * a request to report it (set `RTK_DEBUG=1` to see the stack).
 */
export function formatError(error: unknown): string {
  if (isRtkError(error)) return `rtk: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `rtk: internal error: ${message}\n(this is a bug: please report it with the command line; RTK_DEBUG=1 shows the stack)`;
}

/** A plain-JSON description of an error for `--json` output. */
export function errorJson(error: unknown): { code: string; message: string; exitCode: ExitCode } {
  return {
    code: isRtkError(error) ? error.code : 'E_INTERNAL',
    message: error instanceof Error ? error.message : String(error),
    exitCode: exitCodeFor(error),
  };
}
