/**
 * What every command receives: where to write, how to start the backend, and the signal that cancels the run.
 */
import { type BackendName, initBackend } from '@rtk-diffusion/tensor';
import { createProgress, type Progress, type ProgressOptions } from './progress.js';

/** Output streams and environment of one invocation (tests pass fakes). */
export interface CliIo {
  /** Results (tables, JSON). */
  readonly stdout: { write(text: string): unknown };
  /** Messages, errors and the progress bar (drawn only if it is a TTY). */
  readonly stderr: NodeJS.WriteStream | { write(text: string): unknown; readonly isTTY?: boolean };
  /** Starts the compute backend; default `initBackend({ prefer })` of `@rtk-diffusion/tensor`. */
  readonly initBackend?: (prefer: BackendName | undefined) => Promise<void>;
  /** Cancels long runs (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Clock in ms of the progress bar (tests); default `Date.now`. */
  readonly now?: () => number;
}

/** The context a command runs in. */
export interface CommandContext {
  readonly io: CliIo;
  /** Starts the backend chosen by `--backend` (once). */
  startBackend(): Promise<void>;
  readonly signal: AbortSignal | undefined;
  /** A progress bar on this invocation's stderr (see `createProgress`: only on a terminal, after a second). */
  progress(options: Omit<ProgressOptions, 'stream' | 'now'>): Progress;
}

/** Builds the context; the backend starts at most once, and only for commands that compute. */
export function createContext(io: CliIo, backend: () => BackendName | undefined): CommandContext {
  let started: Promise<void> | undefined;
  const start =
    io.initBackend ??
    (async (prefer: BackendName | undefined) => {
      await initBackend({
        ...(prefer === undefined ? {} : { prefer }),
        onWarning: (message) => io.stderr.write(`${message}\n`),
      });
    });
  return {
    io,
    signal: io.signal,
    progress: (options) =>
      createProgress({
        ...options,
        stream: io.stderr as NodeJS.WriteStream,
        ...(io.now === undefined ? {} : { now: io.now }),
      }),
    startBackend: () => {
      started ??= start(backend());
      return started;
    },
  };
}

/** Writes `value` as one line of JSON to stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
