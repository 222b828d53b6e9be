/**
 * The trained networks of the image and toy suites, cached on disk: a network is loaded from `apps/bench/models/<name>/`
 * when the directory holds one trained with the same recipe (its `training.recipe` equals the recipe asked for), and
 * trained and saved there otherwise (or always with `retrain`). Small trained models are committed, so a fresh clone
 * skips training. Training writes resumable checkpoints to `<name>/checkpoint/` (not committed): a run stopped mid-way
 * (Ctrl-C, a killed session) continues from the last one with the weights of an uninterrupted run.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DataSet,
  dataRows,
  type ImageClassifier,
  type NetworkArchitecture,
  type ScoreNetwork,
  type TrainingCheckpoint,
  trainClassifier,
  trainScoreNetwork,
} from '@rtk-diffusion/scores/neural';
import {
  hasCheckpoint,
  loadCheckpoint,
  loadClassifier,
  loadMnistDigits,
  loadScoreNetwork,
  saveCheckpoint,
  saveClassifier,
  saveScoreNetwork,
} from '@rtk-diffusion/scores/node';
import { createRng, isRtkError, ValidationError } from '@rtk-diffusion/tensor';

/** `apps/bench/models/` (this module sits in `src/images/` or `dist/images/`). */
export function defaultModelDirectory(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');
}

/** How a score network is trained: everything that decides its weights. */
export interface ScoreRecipe {
  readonly architecture: NetworkArchitecture;
  readonly steps: number;
  readonly batchSize: number;
  /** Peak Adam learning rate (linear warm-up over `warmupSteps`, cosine decay to a tenth over `steps`). */
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly seed: number;
  /** A name of the training data (with its size and seed), for the cache key. */
  readonly data: string;
}

/** How the FID classifier is trained. */
export interface ClassifierRecipe {
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly data: string;
}

/** Progress lines (stderr of the benchmark). */
export type Log = (line: string) => void;

async function cachedRecipe(dir: string, file: string): Promise<string | undefined> {
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  try {
    const metadata = JSON.parse(await readFile(path, 'utf8')) as { training?: { recipe?: unknown } };
    return JSON.stringify(metadata.training?.recipe);
  } catch {
    return undefined;
  }
}

/** Where training checkpoints of the network in `dir` go (removed once the network is saved). */
export function checkpointDirectory(dir: string): string {
  return join(dir, 'checkpoint');
}

/** The checkpoint in `dir` to resume, if there is a readable one (one of another recipe is refused by training). */
async function checkpointToResume(dir: string, log: Log): Promise<TrainingCheckpoint | undefined> {
  if (!(await hasCheckpoint(dir))) return undefined;
  try {
    const checkpoint = await loadCheckpoint(dir);
    log(`resuming from the checkpoint at step ${checkpoint.step} in ${dir}`);
    return checkpoint;
  } catch (error) {
    log(`ignoring the unreadable checkpoint in ${dir}: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Loads the network cached in `dir` if it has this recipe (and loads: a half-written save does not), else trains it on
 * `data` (resuming a checkpoint of the same recipe) and saves it there.
 */
export async function cachedScoreNetwork(options: {
  readonly dir: string;
  readonly recipe: ScoreRecipe;
  readonly data: DataSet;
  readonly retrain?: boolean;
  readonly log?: Log;
  readonly signal?: AbortSignal;
}): Promise<{ network: ScoreNetwork; trained: boolean; seconds: number }> {
  const { dir, recipe, data } = options;
  const log = options.log ?? (() => {});
  if (options.retrain !== true && (await cachedRecipe(dir, 'rtk-network.json')) === JSON.stringify(recipe)) {
    try {
      return { network: await loadScoreNetwork(dir), trained: false, seconds: 0 };
    } catch (error) {
      if (!isRtkError(error, 'E_IO') && !(error instanceof ValidationError)) throw error;
      log(`the cached network in ${dir} does not load (${error.message}); training it again`);
    }
  }
  const checkpoints = checkpointDirectory(dir);
  const resume = await checkpointToResume(checkpoints, log);
  log(`training the score network ${JSON.stringify(recipe.architecture)} for ${recipe.steps} steps → ${dir}`);
  const train = (from: TrainingCheckpoint | undefined) =>
    trainScoreNetwork({
      network: { architecture: recipe.architecture, predictionType: 'epsilon' },
      data,
      steps: recipe.steps,
      batchSize: recipe.batchSize,
      learningRate: recipe.learningRate,
      warmupSteps: recipe.warmupSteps,
      decaySteps: recipe.steps,
      rng: createRng(recipe.seed),
      progressEvery: Math.max(1, Math.round(recipe.steps / 20)),
      onProgress: (p) =>
        log(
          `  step ${p.step}/${p.steps}: loss ${p.loss.toFixed(4)}, ${p.examplesPerSecond.toFixed(0)} examples/s`,
        ),
      checkpointEvery: Math.max(1, Math.round(recipe.steps / 40)),
      onCheckpoint: (checkpoint) => saveCheckpoint(checkpoints, checkpoint),
      ...(from === undefined ? {} : { resume: from }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  const { network, losses, elapsedMs, examplesPerSecond } = await train(resume).catch((error: unknown) => {
    if (resume === undefined || !(error instanceof ValidationError)) throw error;
    log(`the checkpoint in ${checkpoints} is of another recipe; starting afresh`);
    return train(undefined);
  });
  const tail = losses.subarray(Math.max(0, losses.length - 100));
  await saveScoreNetwork(network, dir, {
    recipe,
    finalLoss: Number((tail.reduce((s, v) => s + v, 0) / tail.length).toPrecision(4)),
    seconds: Math.round(elapsedMs / 1000),
    examplesPerSecond: Math.round(examplesPerSecond),
    ...(resume === undefined ? {} : { resumedFrom: resume.step }),
  });
  await rm(checkpoints, { recursive: true, force: true });
  return { network, trained: true, seconds: elapsedMs / 1000 };
}

/** Loads the classifier cached in `dir` if it has this recipe, else trains it on `data` and saves it there. */
export async function cachedClassifier(options: {
  readonly dir: string;
  readonly recipe: ClassifierRecipe;
  readonly data: DataSet;
  readonly retrain?: boolean;
  readonly log?: Log;
  readonly signal?: AbortSignal;
}): Promise<{ classifier: ImageClassifier; trained: boolean; seconds: number }> {
  const { dir, recipe, data } = options;
  const log = options.log ?? (() => {});
  if (
    options.retrain !== true &&
    (await cachedRecipe(dir, 'rtk-classifier.json')) === JSON.stringify(recipe)
  ) {
    return { classifier: await loadClassifier(dir), trained: false, seconds: 0 };
  }
  log(`training the FID classifier for ${recipe.steps} steps → ${dir}`);
  const started = Date.now();
  const { classifier } = await trainClassifier({
    data,
    steps: recipe.steps,
    batchSize: recipe.batchSize,
    rng: createRng(recipe.seed),
    progressEvery: Math.max(1, Math.round(recipe.steps / 5)),
    onProgress: (p) => log(`  step ${p.step}/${p.steps}: loss ${p.loss.toFixed(4)}`),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const seconds = (Date.now() - started) / 1000;
  await saveClassifier(classifier, dir, { recipe, seconds: Math.round(seconds) });
  return { classifier, trained: true, seconds };
}

/** The MNIST split of the image suite: the first `trainRows` digits train, the last `heldOutRows` are the reference. */
export interface MnistSplit {
  readonly train: DataSet;
  readonly heldOut: DataSet;
}

/** Rows of the 10 000 digits used for training (classes interleaved, so both parts are class-balanced). */
export const MNIST_TRAIN_ROWS = 9000;

/** Loads the `mnist` package's digits and splits them into training and held-out rows. */
export async function mnistSplit(): Promise<MnistSplit> {
  const all = await loadMnistDigits();
  return {
    train: dataRows(all, 0, MNIST_TRAIN_ROWS),
    heldOut: dataRows(all, MNIST_TRAIN_ROWS, all.n - MNIST_TRAIN_ROWS),
  };
}
