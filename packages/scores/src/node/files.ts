/** File helpers of the node entry: atomic writes (temporary name, then rename) and typed I/O errors. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RtkError } from '@rtk-diffusion/tensor';

/** An `E_IO` error that names the file and keeps the cause. */
export function ioError(message: string, path: string, cause?: unknown): RtkError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new RtkError('E_IO', `${message} (${path})${reason}`, { details: { path }, cause });
}

/** Writes `data` to `path` through a temporary file in the same directory and a rename, so readers never see half. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw ioError('could not write', path, error);
  }
}

/** Reads a file, with an `E_IO` error that names it. */
export async function readBytes(path: string, hint = ''): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw ioError(`could not read${hint === '' ? '' : ` ${hint}`}`, path, error);
  }
}

/** Reads and parses a JSON file, with `E_IO` errors for a missing file or bad JSON. */
export async function readJson(path: string, hint = ''): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(path, hint));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw ioError('not valid JSON', path, error);
  }
}

/** A copy of bytes as an ArrayBuffer of exactly their length. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The SHA-256 of bytes (or of a string's UTF-8), as hex. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
