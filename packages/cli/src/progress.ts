/**
 * A progress bar on stderr (cli-progress) for work that takes longer than a second: it appears only after `delayMs`
 * (default 1 s), only when stderr is a terminal, and never with `--quiet`. Without a bar, `log` lines still go to
 * stderr (unless quiet), so a piped run shows its progress line by line.
 */
// cli-progress is CommonJS: Node's ESM loader finds MultiBar and Presets as named exports, but not Format.
import cliProgress, { MultiBar, type Options, Presets, type SingleBar } from 'cli-progress';

/** What long-running functions report progress to. */
export interface Progress {
  /** Sets the amount done (of `total`) and an optional label (what is running now). */
  update(done: number, label?: string): void;
  /** Changes the total amount of work. */
  setTotal(total: number): void;
  /** Prints a line to stderr above the bar (or alone when there is no bar); nothing when quiet. */
  log(line: string): void;
  /** Removes the bar. Call once at the end, also on failure. */
  stop(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Total amount of work (steps, runs…). */
  readonly total: number;
  /** No output at all (the `--quiet` flag). */
  readonly quiet?: boolean;
  /** Where to draw; default `process.stderr`. The bar is drawn only if it is a TTY. */
  readonly stream?: NodeJS.WriteStream;
  /** Delay before the bar appears, default 1000 ms: short runs never flash a bar. */
  readonly delayMs?: number;
  /** Show `done/total` beside the percentage (default true; off when the units mean nothing to a reader). */
  readonly showCounts?: boolean;
  /** Clock in ms (tests). */
  readonly now?: () => number;
}

/** A {@link Progress} that does nothing (for library callers who want none). */
export const NO_PROGRESS: Progress = Object.freeze({
  update: () => {},
  setTotal: () => {},
  log: () => {},
  stop: () => {},
});

/**
 * The bar's time format: cli-progress's, except for an ETA it cannot estimate yet (`'NULL'` before any progress,
 * `'INF'` at rate 0), which reads `…`; cli-progress would pad those strings to two characters ("LLs", "NFs").
 */
export function formatBarTime(time: number | string, options: Options, roundToMultipleOf: number): string {
  return typeof time === 'number' && Number.isFinite(time)
    ? cliProgress.Format.TimeFormat(time, options, roundToMultipleOf)
    : '…';
}

/** Creates a progress reporter; see the module comment for when a bar is shown. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const quiet = options.quiet ?? false;
  const drawBar = !quiet && stream.isTTY === true;
  const now = options.now ?? Date.now;
  const started = now();
  const delay = options.delayMs ?? 1000;
  let total = options.total;
  let done = 0;
  let label = '';
  let multi: MultiBar | undefined;
  let bar: SingleBar | undefined;
  let stopped = false;

  const ensureBar = (): void => {
    if (!drawBar || bar !== undefined || stopped || now() - started < delay) return;
    multi = new MultiBar(
      {
        stream,
        format: ` {bar} {percentage}%${options.showCounts === false ? '' : ' | {value}/{total}'} | ETA {eta_formatted} | {label}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
        fps: 5,
        formatTime: formatBarTime as (t: number, options: Options, round: number) => string,
      },
      Presets.shades_classic,
    );
    bar = multi.create(total, done, { label });
  };

  return {
    update(value, newLabel) {
      done = value;
      if (newLabel !== undefined) label = newLabel;
      ensureBar();
      bar?.update(done, { label });
    },
    setTotal(value) {
      total = value;
      bar?.setTotal(total);
    },
    log(line) {
      if (quiet) return;
      if (multi !== undefined) multi.log(`${line}\n`);
      else stream.write(`${line}\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi?.stop();
    },
  };
}
