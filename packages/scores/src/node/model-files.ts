/**
 * Networks on disk in the TensorFlow.js layers format, written with node:fs through a custom `tf.io.IOHandler` (no
 * tfjs-node): `model.json` (topology and weights manifest), `weights.bin` (float32 weights), and a metadata file
 * (`rtk-network.json` for score networks, `rtk-classifier.json` for classifiers), written last. The three are atomic
 * as a set: the metadata names the SHA-256 of model.json and weights.bin (`files`; for model.json, of its compact
 * serialization, so reformatting the JSON, e.g. by a formatter, does not change it), and loading checks them, so a save
 * cut short between files (new weights beside old metadata, or the reverse) fails to load with `E_IO` instead of
 * passing for the old network. Metadata written before `files` existed loads unchecked.
 */
import { basename, join } from 'node:path';
import { tf } from '@rtk-diffusion/tensor';
import type { ImageClassifier } from '../neural/classifier.js';
import type { ScoreNetworkMetadata } from '../neural/metadata.js';
import type { ClassifierMetadata } from '../neural/model-io.js';
import {
  loadClassifierFrom,
  loadScoreNetworkFrom,
  saveClassifierTo,
  saveScoreNetworkTo,
} from '../neural/model-io.js';
import type { ScoreNetwork } from '../neural/network.js';
import { ioError, readBytes, readJson, sha256, toArrayBuffer, writeFileAtomic } from './files.js';

/** File names inside a network directory. */
export const NETWORK_FILES: {
  readonly model: string;
  readonly weights: string;
  readonly scoreMetadata: string;
  readonly classifierMetadata: string;
} = Object.freeze({
  model: 'model.json',
  weights: 'weights.bin',
  scoreMetadata: 'rtk-network.json',
  classifierMetadata: 'rtk-classifier.json',
});

/**
 * A `tf.io.IOHandler` that saves to and loads from `dir` (model.json + weights.bin); `written` holds the SHA-256 of
 * each file its last save wrote.
 */
export function directoryHandler(
  dir: string,
): tf.io.IOHandler & { readonly written: Record<string, string> } {
  const modelPath = join(dir, NETWORK_FILES.model);
  const written: Record<string, string> = {};
  return {
    written,
    async save(artifacts) {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw ioError('binary model topologies are not supported; save a layers model', modelPath);
      }
      const weights =
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        ...(artifacts.format === undefined ? {} : { format: artifacts.format }),
        ...(artifacts.generatedBy === undefined ? {} : { generatedBy: artifacts.generatedBy }),
        ...(artifacts.convertedBy === undefined ? {} : { convertedBy: artifacts.convertedBy }),
        ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
        ...(artifacts.userDefinedMetadata === undefined
          ? {}
          : { userDefinedMetadata: artifacts.userDefinedMetadata }),
        weightsManifest: [{ paths: [NETWORK_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
      };
      const weightBytes = new Uint8Array(weights);
      const modelText = JSON.stringify(modelJson);
      await writeFileAtomic(join(dir, NETWORK_FILES.weights), weightBytes);
      await writeFileAtomic(modelPath, modelText);
      written[NETWORK_FILES.weights] = sha256(weightBytes);
      written[NETWORK_FILES.model] = sha256(modelText); // modelText is already the compact serialization
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const modelJson = (await readJson(modelPath, 'the model')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const parts: Uint8Array[] = [];
        for (const path of manifest.flatMap((group) => group.paths)) {
          if (basename(path) !== path)
            throw ioError(`weights path '${path}' must be a file name in the directory`, modelPath);
          parts.push(await readBytes(join(dir, path), 'the weights'));
        }
        const joined = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
        let offset = 0;
        for (const part of parts) {
          joined.set(part, offset);
          offset += part.length;
        }
        return [specs, toArrayBuffer(joined)];
      });
    },
  };
}

/**
 * Saves a score network to `dir` (created if needed): model.json, weights.bin, rtk-network.json. Returns the metadata.
 * `training` is stored in the metadata as free-form facts (steps, seed, loss, …).
 */
export async function saveScoreNetwork(
  network: ScoreNetwork,
  dir: string,
  training?: Readonly<Record<string, unknown>>,
): Promise<ScoreNetworkMetadata> {
  const handler = directoryHandler(dir);
  const metadata = {
    ...(await saveScoreNetworkTo(network, handler, training)),
    files: { ...handler.written },
  };
  await writeFileAtomic(join(dir, NETWORK_FILES.scoreMetadata), `${JSON.stringify(metadata, null, 2)}\n`);
  return metadata;
}

/**
 * Loads a score network saved by {@link saveScoreNetwork}: a `ScoreModel` in model space (use `toData` on samples).
 *
 * @throws `RtkError` `E_IO` for missing or unreadable files, or files that do not have the hashes the metadata names;
 *   {@link ValidationError} for bad metadata.
 */
export async function loadScoreNetwork(dir: string): Promise<ScoreNetwork> {
  const metadata = await readJson(join(dir, NETWORK_FILES.scoreMetadata), 'the score-network metadata');
  await checkFiles(dir, metadata);
  return loadScoreNetworkFrom(directoryHandler(dir), metadata);
}

/** Saves a classifier to `dir`: model.json, weights.bin, rtk-classifier.json. Returns the metadata. */
export async function saveClassifier(
  classifier: ImageClassifier,
  dir: string,
  training?: Readonly<Record<string, unknown>>,
): Promise<ClassifierMetadata> {
  const handler = directoryHandler(dir);
  const metadata = {
    ...(await saveClassifierTo(classifier, handler, training)),
    files: { ...handler.written },
  };
  await writeFileAtomic(
    join(dir, NETWORK_FILES.classifierMetadata),
    `${JSON.stringify(metadata, null, 2)}\n`,
  );
  return metadata;
}

/** Loads a classifier saved by {@link saveClassifier}. */
export async function loadClassifier(dir: string): Promise<ImageClassifier> {
  const metadata = await readJson(join(dir, NETWORK_FILES.classifierMetadata), 'the classifier metadata');
  await checkFiles(dir, metadata);
  return loadClassifierFrom(directoryHandler(dir), metadata);
}

/** Checks the files a metadata object names in `files` (if it has any) against their SHA-256. */
async function checkFiles(dir: string, metadata: unknown): Promise<void> {
  const files = (metadata as { files?: unknown } | null)?.files;
  if (files === undefined || files === null || typeof files !== 'object') return;
  for (const [name, digest] of Object.entries(files as Record<string, unknown>)) {
    const path = join(dir, basename(name));
    const bytes = await readBytes(path, 'a saved network file');
    if (contentHash(name, bytes) !== digest) {
      throw ioError(
        'this file does not have the SHA-256 the metadata names: the save was cut short or the file was replaced',
        path,
      );
    }
  }
}

/** The SHA-256 that `files` records: of the bytes, or for a .json file of its compact serialization (format-free). */
function contentHash(name: string, bytes: Uint8Array): string {
  if (!name.endsWith('.json')) return sha256(bytes);
  try {
    return sha256(JSON.stringify(JSON.parse(new TextDecoder().decode(bytes))));
  } catch {
    return sha256(bytes);
  }
}
