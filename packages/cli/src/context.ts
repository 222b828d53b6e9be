/**
 * What every command receives: where to write, how to start the backend, and the signal that cancels the run.
 */
import { type BackendName, initBackend } from '@rtk-diffusion/tensor';

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
}

/** The context a command runs in. */
export interface CommandContext {
  readonly io: CliIo;
  /** Starts the backend chosen by `--backend` (once). */
  startBackend(): Promise<void>;
  readonly signal: AbortSignal | undefined;
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
