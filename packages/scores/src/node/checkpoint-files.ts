/**
 * Training checkpoints on disk, atomic as a set: the float32 data (little-endian as every platform TensorFlow.js runs
 * on) goes to a file named by its content hash, `checkpoint-<sha256 prefix>.bin`, and then the header
 * `checkpoint.json`, which names that file, replaces the previous header in one rename. A crash before that rename
 * leaves the previous header and the data file it names untouched; only after it are stale data files removed. So
 * a directory with a header always holds one complete checkpoint, the new one or the previous one. Headers written
 * before data files were named (no `dataFile`) read `checkpoint.bin`.
 */
import { access, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingCheckpoint } from '../neural/checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from '../neural/checkpoint.js';
import { ioError, readBytes, readJson, sha256, writeFileAtomic } from './files.js';

const HEADER = 'checkpoint.json';
/** The data file of headers that do not name one. */
const LEGACY_DATA = 'checkpoint.bin';
const DATA_FILE = /^checkpoint(-[0-9a-f]{16})?\.bin$/;

/** Writes a checkpoint into `dir` (replacing the one there, atomically: see the module comment). */
export async function saveCheckpoint(dir: string, checkpoint: TrainingCheckpoint): Promise<void> {
  const { header, data } = encodeCheckpoint(checkpoint);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const digest = sha256(bytes);
  const dataFile = `checkpoint-${digest.slice(0, 16)}.bin`;
  await writeFileAtomic(join(dir, dataFile), bytes);
  await writeFileAtomic(
    join(dir, HEADER),
    `${JSON.stringify({ ...header, dataFile, dataSha256: digest })}\n`,
  );
  const stale = (await readdir(dir)).filter((name) => DATA_FILE.test(name) && name !== dataFile);
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
}

/**
 * Reads the checkpoint in `dir`.
 *
 * @throws `RtkError` `E_IO` when it is missing or its data file does not have the hash the header names;
 *   {@link ValidationError} when it is malformed.
 */
export async function loadCheckpoint(dir: string): Promise<TrainingCheckpoint> {
  const header = (await readJson(join(dir, HEADER), 'the checkpoint header')) as Record<string, unknown>;
  const { dataFile, dataSha256, ...rest } = header;
  if (dataFile !== undefined && (typeof dataFile !== 'string' || !DATA_FILE.test(dataFile))) {
    throw ioError(
      `the checkpoint header names a bad data file ${JSON.stringify(dataFile)}`,
      join(dir, HEADER),
    );
  }
  const path = join(dir, dataFile ?? LEGACY_DATA);
  const bytes = await readBytes(path, 'the checkpoint data');
  if (typeof dataSha256 === 'string' && sha256(bytes) !== dataSha256) {
    throw ioError(
      'the checkpoint data does not have the SHA-256 its header names (damaged or replaced)',
      path,
    );
  }
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return decodeCheckpoint(rest, new Float32Array(aligned.buffer, 0, Math.floor(bytes.length / 4)));
}

/** Whether `dir` holds a checkpoint (a header; see the module comment). */
export async function hasCheckpoint(dir: string): Promise<boolean> {
  try {
    await access(join(dir, HEADER));
    return true;
  } catch {
    return false;
  }
}
