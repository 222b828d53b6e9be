/**
 * The work of `rtk train` (declared in `train.ts`): load the data, check the output directory and the checkpoint to
 * resume, train with progress and checkpoints (one on Ctrl-C), write the network (or classifier) and a summary.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type DataSet,
  dataRows,
  mlpArchitecture,
  type NetworkArchitecture,
  type NetworkPredictionType,
  type TrainingCheckpoint,
  trainClassifier,
  trainScoreNetwork,
  unetArchitecture,
} from '@rtk-diffusion/scores/neural';
import {
  hasCheckpoint,
  loadCheckpoint,
  NETWORK_FILES,
  saveCheckpoint,
  saveClassifier,
  saveScoreNetwork,
} from '@rtk-diffusion/scores/node';
import { createRng, isRtkError, RtkError } from '@rtk-diffusion/tensor';
import { type CommandContext, printJson } from '../context.js';
import { FileError, UsageError } from '../errors.js';
import { createProgress, type Progress } from '../progress.js';
import { loadTrainingData } from '../training-data.js';
import type { TrainCommandOptions } from './train.js';

/** Rows held out to measure the classifier's accuracy (at most a tenth of the data). */
const CLASSIFIER_HOLDOUT = 1000;

const SCORE_ONLY = [
  'prediction',
  'warmup',
  'decay',
  'hidden',
  'depth',
  'embedding',
  'weighting',
  'ema',
  'checkpointEvery',
  'resume',
];
const FLAG: Record<string, string> = {
  prediction: '--prediction',
  warmup: '--warmup',
  decay: '--decay',
  hidden: '--hidden',
  depth: '--depth',
  embedding: '--embedding',
  weighting: '--weighting',
  ema: '--ema',
  checkpointEvery: '--checkpoint-every',
  resume: '--resume',
  arch: '--arch',
};

/** Refuses options that mean nothing for this run. */
function checkCombinations(options: TrainCommandOptions): void {
  const given = (key: string) => (options as unknown as Record<string, unknown>)[key] !== undefined;
  if (options.classifier === true) {
    const wrong = [...SCORE_ONLY, 'arch'].filter(given).map((key) => FLAG[key]);
    if (wrong.length > 0) {
      throw new UsageError(
        `${wrong.join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not apply to --classifier (it has no checkpoints; ` +
          'its options are --steps, --batch, --lr, --channels, --seed, --n, --labels, --force)',
      );
    }
  }
  if (options.resume === true && options.force === true) {
    throw new UsageError('--resume continues the run in DIR and --force replaces it: give one of them');
  }
}

/** Checks DIR before any work: a directory (or creatable), holding a checkpoint iff --resume. */
async function prepareDirectory(options: TrainCommandOptions): Promise<TrainingCheckpoint | undefined> {
  const dir = options.out;
  const info = await stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new FileError(`--out ${dir} is a file; give a directory (it is created if missing)`, {
      details: { path: dir },
    });
  }
  if (options.resume === true) {
    if (info === undefined) {
      throw new FileError(`cannot resume: ${dir} does not exist; run without --resume to start a new run`, {
        details: { path: dir },
      });
    }
    if (!(await hasCheckpoint(dir))) {
      throw new FileError(
        `cannot resume: ${dir} holds no checkpoint (checkpoint.json); run without --resume to start a new run`,
        { details: { path: dir } },
      );
    }
    return loadCheckpoint(dir);
  }
  if (info !== undefined && options.force !== true) {
    const held = await heldRun(dir, options.classifier === true);
    if (held !== undefined) {
      throw new UsageError(
        `${dir} already holds ${held}; pass --resume to continue it, --force to replace it, or choose another --out`,
      );
    }
  }
  return undefined;
}

/** Creates DIR (after every check passed, so bad input leaves nothing behind). */
async function createDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new FileError(`cannot create ${dir}: ${(cause as Error).message}`, {
      details: { path: dir },
      cause,
    });
  }
}

async function heldRun(dir: string, classifier: boolean): Promise<string | undefined> {
  if (!classifier && (await hasCheckpoint(dir))) {
    const checkpoint = await loadCheckpoint(dir).catch(() => undefined);
    return `a training checkpoint${checkpoint === undefined ? '' : ` at step ${checkpoint.step}`}`;
  }
  const metadata = classifier ? NETWORK_FILES.classifierMetadata : NETWORK_FILES.scoreMetadata;
  const found = await stat(join(dir, metadata)).catch(() => undefined);
  return found === undefined ? undefined : `a trained ${classifier ? 'classifier' : 'network'} (${metadata})`;
}

/** The side of square images of dimension d (for rows read from a file), if d is a square. */
function imageShapeOf(data: DataSet): readonly [number, number] | undefined {
  if (data.imageShape !== undefined) return data.imageShape;
  const side = Math.round(Math.sqrt(data.dim));
  return side * side === data.dim ? [side, side] : undefined;
}

function architectureFor(
  options: TrainCommandOptions,
  data: DataSet,
  saved: NetworkArchitecture | undefined,
): NetworkArchitecture {
  const kind = options.arch ?? saved?.kind ?? (data.imageShape === undefined ? 'mlp' : 'unet');
  if (kind === 'unet' && (options.hidden !== undefined || options.depth !== undefined)) {
    throw new UsageError('--hidden and --depth are options of --arch mlp; the unet takes --channels');
  }
  if (kind === 'mlp' && options.channels !== undefined) {
    throw new UsageError('--channels is an option of --arch unet; the mlp takes --hidden and --depth');
  }
  const embeddingSize = options.embedding ?? saved?.embeddingSize;
  const embedding = embeddingSize === undefined ? {} : { embeddingSize };
  if (kind === 'mlp') {
    const previous = saved?.kind === 'mlp' ? saved : undefined;
    const hidden = options.hidden ?? previous?.hidden;
    const depth = options.depth ?? previous?.depth;
    return mlpArchitecture(data.dim, {
      ...embedding,
      ...(hidden === undefined ? {} : { hidden }),
      ...(depth === undefined ? {} : { depth }),
    });
  }
  const shape = imageShapeOf(data);
  if (shape === undefined) {
    throw new UsageError(
      `--arch unet needs images: the data has dimension ${data.dim}, which is not height × width of a square; use --arch mlp`,
    );
  }
  const channels = options.channels ?? (saved?.kind === 'unet' ? saved.channels : undefined);
  return unetArchitecture({
    height: shape[0],
    width: shape[1],
    ...embedding,
    ...(channels === undefined ? {} : { channels }),
  });
}

/** A progress reporter for `steps` training steps: the bar on a terminal, a line every tenth of the run otherwise. */
function trainingProgress(context: CommandContext, options: TrainCommandOptions, first: number) {
  const stream = context.io.stderr as NodeJS.WriteStream;
  const progress: Progress = createProgress({ total: options.steps, quiet: options.quiet === true, stream });
  progress.update(first);
  const lineEvery = Math.max(1, Math.ceil(options.steps / 10));
  let nextLine = first + lineEvery;
  return {
    progress,
    report(step: number, loss: number, examplesPerSecond?: number): void {
      const rate = examplesPerSecond === undefined ? '' : ` · ${Math.round(examplesPerSecond)} examples/s`;
      progress.update(step, `loss ${loss.toPrecision(4)}${rate}`);
      if (stream.isTTY !== true && (step >= nextLine || step === options.steps)) {
        progress.log(`step ${step}/${options.steps}: loss ${loss.toPrecision(4)}${rate}`);
        nextLine = step + lineEvery;
      }
    },
  };
}

/** Runs `rtk train`. */
export async function runTrain(context: CommandContext, options: TrainCommandOptions): Promise<void> {
  checkCombinations(options);
  if (options.classifier === true) {
    await runTrainClassifier(context, options);
    return;
  }
  const resume = await prepareDirectory(options);
  if (resume !== undefined && options.steps < resume.step) {
    throw new UsageError(
      `--steps ${options.steps} is below the checkpoint's step ${resume.step} in ${options.out}; give --steps ≥ ${resume.step}`,
    );
  }
  const saved = resume?.settings;
  const seed = options.seed ?? saved?.seed ?? 0;
  const n = options.n ?? saved?.dataSize;
  const data = await loadTrainingData(options.data, {
    seed,
    ...(n === undefined ? {} : { n }),
    ...(options.labels === undefined ? {} : { labels: options.labels }),
  });
  const architecture = architectureFor(options, data, resume?.config.architecture);
  const predictionType: NetworkPredictionType | undefined =
    options.prediction === undefined
      ? resume?.config.predictionType
      : options.prediction === 'eps'
        ? 'epsilon'
        : options.prediction;
  const batchSize = options.batch ?? saved?.batchSize;
  const learningRate = options.lr ?? saved?.learningRate;
  const warmupSteps = options.warmup ?? saved?.warmupSteps;
  const decaySteps = options.decay ?? saved?.decaySteps;
  const emaDecay = options.ema ?? saved?.emaDecay;
  const weighting = options.weighting ?? saved?.weighting;
  const checkpointEvery = options.checkpointEvery ?? Math.max(1, Math.ceil(options.steps / 10));
  await createDirectory(options.out);
  await context.startBackend();
  const first = resume?.step ?? 0;
  const { progress, report } = trainingProgress(context, options, first);
  let checkpointStep: number | undefined;
  let result: Awaited<ReturnType<typeof trainScoreNetwork>>;
  try {
    result = await trainScoreNetwork({
      network: { architecture, ...(predictionType === undefined ? {} : { predictionType }) },
      data,
      steps: options.steps,
      rng: createRng(seed).fork('train'),
      ...(batchSize === undefined ? {} : { batchSize }),
      ...(learningRate === undefined ? {} : { learningRate }),
      ...(warmupSteps === undefined ? {} : { warmupSteps }),
      ...(decaySteps === undefined ? {} : { decaySteps }),
      ...(emaDecay === undefined ? {} : { emaDecay }),
      ...(weighting === undefined ? {} : { weighting }),
      ...(resume === undefined ? {} : { resume }),
      progressEvery: Math.max(1, Math.min(25, Math.floor(options.steps / 50))),
      onProgress: (event) => report(event.step, event.loss, event.examplesPerSecond),
      checkpointEvery,
      onCheckpoint: async (checkpoint) => {
        await saveCheckpoint(options.out, checkpoint);
        checkpointStep = checkpoint.step;
      },
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } catch (error) {
    if (isRtkError(error, 'E_ABORTED')) {
      const where =
        checkpointStep === undefined
          ? 'no checkpoint was written'
          : `checkpoint at step ${checkpointStep} of ${options.steps} saved in ${options.out}; continue with the same command and --resume`;
      throw new RtkError('E_ABORTED', `training interrupted: ${where}`, { cause: error });
    }
    throw error;
  } finally {
    progress.stop();
  }
  const { network, checkpoint, losses, examplesPerSecond, elapsedMs } = result;
  const tail = losses.subarray(losses.length - Math.max(1, Math.ceil(losses.length / 10)));
  const finalLoss = tail.reduce((s, v) => s + v, 0) / Math.max(1, tail.length);
  const facts = {
    command: 'rtk train',
    data: data.name ?? options.data,
    rows: data.n,
    steps: checkpoint.step,
    seed,
    batchSize: checkpoint.settings.batchSize,
    learningRate: checkpoint.settings.learningRate,
    warmupSteps: checkpoint.settings.warmupSteps,
    decaySteps: checkpoint.settings.decaySteps,
    emaDecay: checkpoint.settings.emaDecay,
    weighting: checkpoint.settings.weighting,
    dataFingerprint: checkpoint.settings.dataFingerprint,
    finalLoss,
  };
  try {
    await saveScoreNetwork(network, options.out, facts);
    await saveCheckpoint(options.out, checkpoint);
  } finally {
    network.dispose();
  }
  const summary = {
    out: options.out,
    arch: architecture.kind,
    predictionType: network.predictionType,
    dim: data.dim,
    resumedFrom: resume?.step,
    examplesPerSecond,
    seconds: elapsedMs / 1000,
    ...facts,
  };
  if (options.json === true) printJson(context.io, summary);
  else if (options.quiet !== true) {
    context.io.stdout.write(
      `trained ${architecture.kind} (${network.predictionType} head) on ${summary.data} (${data.n} × ${data.dim}) ` +
        `for ${checkpoint.step} steps${resume === undefined ? '' : ` (resumed at step ${resume.step})`} in ` +
        `${summary.seconds.toFixed(1)} s, ${Math.round(examplesPerSecond)} examples/s; loss ${finalLoss.toPrecision(4)}\n` +
        `wrote ${options.out}: sample with rtk sample --target ${options.out} --sampler ddpm --nfe 100 --n 1000 --out samples.npy\n`,
    );
  }
}

/** `rtk train --classifier`: the FID feature classifier on labelled images; a held-out part measures accuracy. */
async function runTrainClassifier(context: CommandContext, options: TrainCommandOptions): Promise<void> {
  await prepareDirectory(options);
  const seed = options.seed ?? 0;
  const all = await loadTrainingData(options.data, {
    seed,
    ...(options.labels === undefined ? {} : { labels: options.labels }),
  });
  if (all.labels === undefined || all.imageShape === undefined) {
    throw new UsageError(
      `--classifier needs labelled images: --data mnist or fashion-mnist, or an IDX images file with its labels (--labels FILE); ${options.data} has ${all.labels === undefined ? 'no labels' : 'no image shape'}`,
    );
  }
  const holdout = Math.min(CLASSIFIER_HOLDOUT, Math.floor(all.n / 10));
  const n = Math.min(options.n ?? all.n - holdout, all.n);
  const data = n === all.n ? all : dataRows(all, 0, n);
  const heldOut = n < all.n ? dataRows(all, n, Math.min(holdout, all.n - n)) : undefined;
  await createDirectory(options.out);
  await context.startBackend();
  const { progress, report } = trainingProgress(context, options, 0);
  let trained: Awaited<ReturnType<typeof trainClassifier>>;
  const started = performance.now();
  try {
    trained = await trainClassifier({
      data,
      steps: options.steps,
      rng: createRng(seed).fork('classifier'),
      ...(options.batch === undefined ? {} : { batchSize: options.batch }),
      ...(options.lr === undefined ? {} : { learningRate: options.lr }),
      ...(options.channels === undefined ? {} : { architecture: { channels: options.channels } }),
      progressEvery: Math.max(1, Math.min(25, Math.floor(options.steps / 50))),
      onProgress: (event) => report(event.step, event.loss),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } catch (error) {
    if (isRtkError(error, 'E_ABORTED')) {
      throw new RtkError(
        'E_ABORTED',
        'classifier training interrupted: nothing written (it has no checkpoints)',
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const { classifier, losses } = trained;
  const summary = {
    out: options.out,
    classifier: true,
    data: data.name ?? options.data,
    rows: data.n,
    steps: options.steps,
    seed,
    finalLoss: losses[losses.length - 1],
    trainingAccuracy: classifier.accuracy(data),
    heldOutRows: heldOut?.n ?? 0,
    heldOutAccuracy: heldOut === undefined ? undefined : classifier.accuracy(heldOut),
    seconds,
  };
  try {
    await saveClassifier(classifier, options.out, { command: 'rtk train --classifier', ...summary });
  } finally {
    classifier.dispose();
  }
  if (options.json === true) printJson(context.io, summary);
  else if (options.quiet !== true) {
    const percent = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)} %`);
    context.io.stdout.write(
      `trained the classifier on ${summary.data} (${data.n} images) for ${options.steps} steps in ${seconds.toFixed(1)} s; ` +
        `accuracy ${percent(summary.trainingAccuracy)} on the training rows, ${percent(summary.heldOutAccuracy)} on ${summary.heldOutRows} held-out rows\n` +
        `wrote ${options.out} (its features give the FID-style distance; not Inception FID)\n`,
    );
  }
}
