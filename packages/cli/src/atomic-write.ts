/**
 * Writing a file so that an interrupted run never leaves half of it (ARCHITECTURE.md "Errors"): the bytes go to a
 * temporary file in the same directory, which is then renamed over the destination (atomic on POSIX file systems).
 */
import { access, constants, type FileHandle, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError } from './errors.js';

let counter = 0;

/** The temporary name used while writing `path`: hidden, in the same directory, unique per process and call. */
export function temporaryPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.tmp`);
}

/**
 * Checks, before any work, that `path` can be written: its directory exists and is writable, and `path` is not a
 * directory.
 *
 * @throws {@link FileError} (code `E_IO`) saying what is wrong.
 */
export async function assertWritable(path: string): Promise<void> {
  const directory = dirname(resolve(path));
  const info = await stat(directory).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new FileError(`cannot write ${path}: the directory ${directory} does not exist; create it first`, {
      details: { path },
    });
  }
  try {
    await access(directory, constants.W_OK);
  } catch (cause) {
    throw new FileError(`cannot write ${path}: the directory ${directory} is not writable`, {
      details: { path },
      cause,
    });
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new FileError(`cannot write ${path}: it is a directory; give a file name`, { details: { path } });
  }
}

/**
 * Writes `data` to `path` through a temporary file and a rename: readers see the old file or the whole new one,
 * never a partial one. The temporary file is removed if writing fails.
 *
 * @throws {@link FileError} (code `E_IO`) when the directory is missing or not writable, or the write fails.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryPathFor(path);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true });
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new FileError(`cannot write ${path}: ${reason}`, { details: { path }, cause });
  }
}

/** A file being written piece by piece under a temporary name: `commit` renames it into place, `abort` removes it. */
export interface AtomicFile {
  /** The destination path. */
  readonly path: string;
  /** Appends `data`. */
  write(data: string | Uint8Array): Promise<void>;
  /** Closes the file and renames it over the destination. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file (safe to call after a failed write or twice). */
  abort(): Promise<void>;
}

/**
 * Opens `path` for streaming writes through a temporary file in the same directory (see {@link writeFileAtomic}):
 * nothing appears at `path` until `commit`, and an interrupted or failed run leaves no partial file after `abort`.
 *
 * @throws {@link FileError} (code `E_IO`) when the temporary file cannot be created or a write fails.
 */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const temporary = temporaryPathFor(path);
  const fail = (cause: unknown): FileError =>
    new FileError(`cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      details: { path },
      cause,
    });
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'w');
  } catch (cause) {
    throw fail(cause);
  }
  const close = async (): Promise<void> => {
    const open = handle;
    handle = undefined;
    await open?.close();
  };
  return {
    path,
    async write(data) {
      if (handle === undefined) throw fail(new Error('the file is already closed'));
      try {
        await handle.appendFile(data);
      } catch (cause) {
        throw fail(cause);
      }
    },
    async commit() {
      try {
        await close();
        await rename(temporary, path);
      } catch (cause) {
        await rm(temporary, { force: true });
        throw fail(cause);
      }
    },
    async abort() {
      await close().catch(() => {});
      await rm(temporary, { force: true });
    },
  };
}
