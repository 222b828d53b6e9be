/**
 * The settings of a sampling run, kept with its samples so that `rtk merge` can check that parts belong to one run:
 * inside a .json sample file (`meta`), and beside a .npy or .csv file in a small sidecar `<file>.meta.json`
 * (`rtk sample --rows` writes one).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { FileError, InvalidFileError } from './errors.js';
import { sampleFormatOf } from './sample-files.js';

/** What a run records about itself. */
export interface RunMeta {
  /** The `--target` argument (catalogue name or spec file). */
  readonly target: string;
  /** Registered sampler name. */
  readonly sampler: string;
  /** Evaluations used per batch. */
  readonly nfe: number;
  /** The NFE budget asked for. */
  readonly nfeBudget: number;
  /** Seed of the run. */
  readonly seed: number;
  /** The rows [start, end) of the seeded run the file holds. */
  readonly rows: readonly [number, number];
  /** The grid, when one was given. */
  readonly grid?: unknown;
  /** The sampler's own options (`--set`). */
  readonly samplerOptions: Readonly<Record<string, unknown>>;
  /** Diagnostics of the first batch drawn (RTK: acceptance); depends on batch, chunk and worker splits. */
  readonly summary?: Readonly<Record<string, unknown>>;
}

/** The settings that must agree for parts to be one run (everything but rows and diagnostics). */
export const RUN_SETTINGS: readonly (keyof RunMeta)[] = Object.freeze([
  'target',
  'sampler',
  'nfeBudget',
  'nfe',
  'seed',
  'grid',
  'samplerOptions',
]);

/** The sidecar metadata file of a .npy or .csv sample file: `<file>.meta.json`. */
export function metaPathFor(path: string): string {
  return `${path}.meta.json`;
}

/** The sidecar's content. */
interface Sidecar {
  readonly n: number;
  readonly d: number;
  readonly meta: RunMeta;
}

/** Writes the sidecar `<path>.meta.json` of a .npy or .csv file (atomically). */
export async function writeRunMeta(
  path: string,
  shape: { n: number; d: number },
  meta: RunMeta,
): Promise<void> {
  const sidecar: Sidecar = { n: shape.n, d: shape.d, meta };
  await writeFileAtomic(metaPathFor(path), `${JSON.stringify(sidecar, null, 2)}\n`);
}

function isRunMeta(value: unknown): value is RunMeta {
  const meta = value as Partial<RunMeta> | null;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    typeof meta.target === 'string' &&
    typeof meta.sampler === 'string' &&
    typeof meta.seed === 'number' &&
    Array.isArray(meta.rows) &&
    meta.rows.length === 2 &&
    meta.rows.every((row) => Number.isSafeInteger(row))
  );
}

/**
 * The run metadata of a sample file: a .json file's `meta`, or a .npy/.csv file's sidecar; `undefined` when there is
 * none.
 *
 * @throws {@link FileError} (exit 4) when they cannot be read; {@link InvalidFileError} (exit 2) when they exist but are
 *   malformed.
 */
export async function readRunMeta(path: string): Promise<RunMeta | undefined> {
  const json = sampleFormatOf(path) === 'json';
  const source = json ? path : metaPathFor(path);
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileError(`cannot read ${source}: ${(cause as Error).message}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new InvalidFileError(`${source} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const meta = (parsed as { meta?: unknown } | null)?.meta;
  if (json && !isRunMeta(meta)) return undefined; // a .json file of samples without run metadata
  if (!isRunMeta(meta)) {
    throw new InvalidFileError(
      `${source}: the run metadata lack target, sampler, seed or rows [start, end]; was it written by rtk sample?`,
    );
  }
  return meta;
}
