/**
 * Training checkpoints on disk: `checkpoint.json` (header) and `checkpoint.bin` (float32, little-endian as every
 * platform TensorFlow.js runs on), the binary written first and the header last, each atomically, so a directory with
 * a header holds a complete checkpoint.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingCheckpoint } from '../neural/checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from '../neural/checkpoint.js';
import { readBytes, readJson, writeFileAtomic } from './files.js';

const HEADER = 'checkpoint.json';
const DATA = 'checkpoint.bin';

/** Writes a checkpoint into `dir` (replacing the one there). */
export async function saveCheckpoint(dir: string, checkpoint: TrainingCheckpoint): Promise<void> {
  const { header, data } = encodeCheckpoint(checkpoint);
  await writeFileAtomic(join(dir, DATA), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  await writeFileAtomic(join(dir, HEADER), `${JSON.stringify(header)}\n`);
}

/**
 * Reads the checkpoint in `dir`.
 *
 * @throws `RtkError` `E_IO` when it is missing; {@link ValidationError} when it is malformed.
 */
export async function loadCheckpoint(dir: string): Promise<TrainingCheckpoint> {
  const header = await readJson(join(dir, HEADER), 'the checkpoint header');
  const bytes = await readBytes(join(dir, DATA), 'the checkpoint data');
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return decodeCheckpoint(header, new Float32Array(aligned.buffer, 0, Math.floor(bytes.length / 4)));
}

/** Whether `dir` holds a (complete) checkpoint. */
export async function hasCheckpoint(dir: string): Promise<boolean> {
  try {
    await access(join(dir, HEADER));
    return true;
  } catch {
    return false;
  }
}
