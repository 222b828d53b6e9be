/**
 * Benchmark: training throughput (examples per second) and inference time of the neural networks on the current
 * backend, to budget training and sampling runs: the default MLP on 2-D data, the U-Net on 28 × 28 images at several
 * widths, and the FID classifier. Run `node dist/bench/train-speed.js` (after a build; part of
 * `pnpm --filter @rtk-diffusion/scores bench`); options `--channels 8,16,32 --unet-steps 6`. Importing runs nothing.
 */
import { createRng, initBackend, TFJS_VERSION, tf } from '@rtk-diffusion/tensor';
import type { NetworkArchitecture } from '../neural/architecture.js';
import { mlpArchitecture, unetArchitecture } from '../neural/architecture.js';
import { trainClassifier } from '../neural/classifier.js';
import { type DataSet, dataSet, PIXEL_SCALING } from '../neural/data.js';
import { twoMoons } from '../neural/toy-data.js';
import { trainScoreNetwork } from '../neural/train.js';

/** One measured network. */
export interface TrainSpeedRow {
  readonly network: string;
  readonly parameters: number;
  readonly batchSize: number;
  /** Training examples per second after `warmup` steps. */
  readonly trainExamplesPerSecond: number;
  /** Rows of one inference call (a score evaluation, or classifier features). */
  readonly inferenceRows: number;
  /** Milliseconds per inference call (median of 3 after a first call). */
  readonly inferenceMs: number;
}

/** What to measure. */
export interface TrainSpeedOptions {
  readonly channels?: readonly number[];
  readonly mlpSteps?: number;
  readonly unetSteps?: number;
  readonly warmup?: number;
  readonly mlpBatch?: number;
  readonly unetBatch?: number;
  readonly mlpInferenceRows?: number;
  readonly imageInferenceRows?: number;
  readonly mlpHidden?: number;
  readonly classifier?: boolean;
  readonly onRow?: (row: TrainSpeedRow) => void;
}

function median3(run: () => void): number {
  run();
  const times = [0, 1, 2].map(() => {
    const start = performance.now();
    run();
    return performance.now() - start;
  });
  return times.sort((a, b) => a - b)[1]!;
}

async function scoreNetworkRow(
  name: string,
  architecture: NetworkArchitecture,
  data: DataSet,
  batchSize: number,
  steps: number,
  warmup: number,
  inferenceRows: number,
): Promise<TrainSpeedRow> {
  let warm = 0;
  const result = await trainScoreNetwork({
    network: { architecture },
    data,
    steps: steps + warmup,
    batchSize,
    rng: createRng(1),
    progressEvery: 1,
    onProgress: (p) => {
      if (p.step === warmup) warm = p.elapsedMs;
    },
  });
  const network = result.network;
  const x = createRng(2).normal([inferenceRows, data.dim]);
  const inferenceMs = median3(() => network.score(x, 0.5).dispose());
  const parameters = network.model.countParams();
  x.dispose();
  network.dispose();
  const seconds = Math.max(1e-3, (result.elapsedMs - warm) / 1000);
  return {
    network: name,
    parameters,
    batchSize,
    trainExamplesPerSecond: (steps * batchSize) / seconds,
    inferenceRows,
    inferenceMs,
  };
}

/** Measures every network; `onRow` sees each row as it is measured. */
export async function runTrainSpeed(options: TrainSpeedOptions = {}): Promise<TrainSpeedRow[]> {
  const {
    channels = [8, 16, 32],
    mlpSteps = 40,
    unetSteps = 6,
    warmup = 2,
    mlpBatch = 256,
    unetBatch = 64,
    mlpInferenceRows = 10_000,
    imageInferenceRows = 1000,
    mlpHidden = 128,
  } = options;
  const rows: TrainSpeedRow[] = [];
  const add = (row: TrainSpeedRow) => {
    rows.push(row);
    options.onRow?.(row);
  };
  const moons = twoMoons(Math.max(mlpBatch, 1024), createRng(3));
  const mlp = mlpArchitecture(2, { hidden: mlpHidden });
  add(
    await scoreNetworkRow(
      `mlp ${mlp.depth}×${mlp.hidden}, 2-D`,
      mlp,
      moons,
      mlpBatch,
      mlpSteps,
      warmup,
      mlpInferenceRows,
    ),
  );
  const images = dataSet(
    createRng(4).uniformArray(Math.max(unetBatch, 256), 784),
    Math.max(unetBatch, 256),
    784,
    {
      scaling: PIXEL_SCALING,
      imageShape: [28, 28],
      labels: Uint8Array.from({ length: Math.max(unetBatch, 256) }, (_, i) => i % 10),
    },
  );
  for (const c of channels) {
    const architecture = unetArchitecture({ channels: c });
    add(
      await scoreNetworkRow(
        `unet C=${c}, 28×28`,
        architecture,
        images,
        unetBatch,
        unetSteps,
        warmup,
        imageInferenceRows,
      ),
    );
  }
  if (options.classifier !== false) {
    const start = performance.now();
    let warm = 0;
    const { classifier } = await trainClassifier({
      data: images,
      steps: unetSteps + warmup,
      batchSize: 128,
      rng: createRng(5),
      progressEvery: 1,
      onProgress: (p) => {
        if (p.step === warmup) warm = performance.now();
      },
    });
    const seconds = Math.max(1e-3, (performance.now() - Math.max(warm, start)) / 1000);
    const x = tf.tensor2d(images.values.subarray(0, Math.min(imageInferenceRows, images.n) * 784), [
      Math.min(imageInferenceRows, images.n),
      784,
    ]);
    const inferenceMs = median3(() => classifier.features(x).dispose());
    add({
      network: 'classifier (FID features)',
      parameters: classifier.model.countParams(),
      batchSize: 128,
      trainExamplesPerSecond: (unetSteps * 128) / seconds,
      inferenceRows: x.shape[0],
      inferenceMs,
    });
    x.dispose();
    classifier.dispose();
  }
  return rows;
}

/** A Markdown table of the rows. */
export function formatTrainSpeedTable(rows: readonly TrainSpeedRow[], backend: string): string {
  return [
    `neural networks, backend ${backend}: training throughput and one inference call (median of 3)`,
    '',
    '| network | parameters | batch | training examples/s | inference rows | ms / inference |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.network} | ${r.parameters} | ${r.batchSize} | ${r.trainExamplesPerSecond.toFixed(0)} | ${r.inferenceRows} | ${r.inferenceMs.toFixed(1)} |`,
    ),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const option = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const backend = await initBackend();
  const name = `${backend.name}${backend.simd ? ' (SIMD)' : ''}, tfjs ${TFJS_VERSION}`;
  const rows = await runTrainSpeed({
    channels: (option('channels') ?? '8,16,32').split(',').map(Number),
    unetSteps: Number(option('unet-steps') ?? 6),
    onRow: (r) => console.error(`  ${r.network}: ${r.trainExamplesPerSecond.toFixed(0)} examples/s`),
  });
  console.log(formatTrainSpeedTable(rows, name));
}

// Run only when executed as a script (`node dist/bench/train-speed.js`), never on import.
const entry = typeof process === 'undefined' ? undefined : process.argv[1];
if (entry !== undefined && import.meta.url === (await import('node:url')).pathToFileURL(entry).href) {
  await main(process.argv.slice(2));
}
