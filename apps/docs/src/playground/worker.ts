/**
 * The playground's Web Worker: runs the packages (scores, samplers, eval) on the TensorFlow.js wasm backend (or
 * webgl/cpu), so sampling never blocks the page. It answers `init`, `density` and `run` messages (see protocol.ts).
 */
/// <reference lib="webworker" />
import {
  energyDistance,
  histogramTotalVariation2d,
  marginalAccuracy,
  medianHeuristicBandwidth,
  mmd,
  modeWeightError,
  slicedWasserstein,
} from '@rtk-diffusion/eval';
import { getSampler, SAMPLER_NAMES } from '@rtk-diffusion/samplers';
import { mixtureModel } from '@rtk-diffusion/scores';
import { type BackendInfo, createRng, tf } from '@rtk-diffusion/tensor';
import { startWasm, startWebgl } from './backend.js';
import type {
  FromWorker,
  PlaygroundBackend,
  PlaygroundMetrics,
  RunRequest,
  SamplerListing,
  ToWorker,
} from './protocol.js';
import { playgroundTarget } from './targets.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function start(backend: PlaygroundBackend): Promise<void> {
  let fallbackReason: string | undefined;
  let info: BackendInfo | undefined;
  if (backend === 'webgl') {
    try {
      info = await startWebgl();
    } catch (error) {
      fallbackReason = `webgl could not start (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  info ??= await startWasm(backend === 'cpu' ? 'cpu' : 'wasm');
  const samplers: SamplerListing[] = SAMPLER_NAMES.map((name) => {
    const sampler = getSampler(name);
    const cost = sampler.cost({});
    return {
      name,
      title: sampler.title,
      reference: sampler.reference,
      minNfe: cost.minNfe,
      evalsPerStep: cost.evalsPerStep,
    };
  });
  post({
    type: 'ready',
    backend: info.name,
    simd: info.simd,
    fallbackReason: fallbackReason ?? info.fallbackReason,
    samplers,
  });
}

/** The exact density p_0 on a resolution × resolution grid over [−extent, extent]², row 0 at the top. */
function density(id: number, targetName: string, resolution: number): void {
  const target = playgroundTarget(targetName);
  const model = mixtureModel(target.spec);
  const { extent } = target;
  const coordinates = new Float32Array(resolution * resolution * 2);
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const k = 2 * (row * resolution + col);
      coordinates[k] = -extent + ((col + 0.5) * 2 * extent) / resolution;
      coordinates[k + 1] = extent - ((row + 0.5) * 2 * extent) / resolution;
    }
  }
  const values = tf.tidy(() => {
    const x = tf.tensor2d(coordinates, [resolution * resolution, 2]);
    return tf.exp(model.logDensity(x, 1)).dataSync() as Float32Array;
  });
  post({ type: 'density', id, resolution, extent, values: new Float32Array(values) });
}

/** The playground's metrics of `samples` (row-major [n, 2]) against the ground truth. */
async function metricsOf(
  samples: Float32Array,
  truth: Float32Array,
  bandwidth: number,
  run: RunRequest,
): Promise<PlaygroundMetrics> {
  const x = { values: samples, d: 2 };
  const y = { values: truth, d: 2 };
  const spec = playgroundTarget(run.target).spec;
  const [marginal, histogram, kernel, energy, sliced, modes] = await Promise.all([
    marginalAccuracy(x, y),
    histogramTotalVariation2d(x, y),
    mmd(x, y, { bandwidth }),
    energyDistance(x, y),
    slicedWasserstein(x, y, { rng: createRng(run.seed).fork('sliced'), projections: 64 }),
    modeWeightError(x, spec),
  ]);
  return {
    marginalAccuracy: marginal,
    histogramTv: histogram,
    mmd: kernel.value,
    energy: energy.value,
    slicedW2: sliced.value,
    modeWeightTv: modes.totalVariation,
  };
}

/** Host copy of a batch. */
function hostCopy(x: tf.Tensor): Float32Array {
  return new Float32Array(x.dataSync() as Float32Array);
}

async function runSampler(run: RunRequest): Promise<void> {
  const started = performance.now();
  const target = playgroundTarget(run.target);
  const model = mixtureModel(target.spec);
  const rng = createRng(run.seed);
  // Ground truth: an exact sample of the same size, and a second one for the floor of every metric.
  const truthTensor = model.sample(run.n, rng.fork('truth'));
  const floorTensor = model.sample(run.n, rng.fork('floor'));
  const truth = hostCopy(truthTensor);
  const floorSample = hostCopy(floorTensor);
  tf.dispose([truthTensor, floorTensor]);
  const bandwidth = await medianHeuristicBandwidth({ values: truth, d: 2 });
  post({ type: 'truth', id: run.id, floor: await metricsOf(floorSample, truth, bandwidth, run) });

  // Metrics are computed on about 8 evenly spaced steps and the last; point clouds go out on every step.
  let pending: Promise<void> = Promise.resolve();
  const sampler = getSampler(run.sampler);
  const result = await sampler.sample({
    model,
    n: run.n,
    nfe: run.nfe,
    rng: rng.fork('sampler'),
    onStep: (event) => {
      const points = hostCopy(event.x);
      const every = Math.max(1, Math.round(event.steps / 8));
      const last = event.step === event.steps - 1;
      if (!last && event.step % every === every - 1) {
        const copy = new Float32Array(points);
        pending = pending.then(async () => {
          const metrics = await metricsOf(copy, truth, bandwidth, run);
          post({ type: 'metrics', id: run.id, step: event.step, steps: event.steps, final: false, metrics });
        });
      }
      post(
        {
          type: 'step',
          id: run.id,
          step: event.step,
          steps: event.steps,
          nfe: event.nfe,
          a: event.aNext,
          points,
        },
        [points.buffer],
      );
    },
  });
  await pending;
  const samples = hostCopy(result.x);
  result.x.dispose();
  const steps = result.trace.levels.length - 1;
  const metrics = await metricsOf(samples, truth, bandwidth, run);
  post({ type: 'metrics', id: run.id, step: steps - 1, steps, final: true, metrics });
  post({
    type: 'done',
    id: run.id,
    nfe: result.nfe,
    seconds: (performance.now() - started) / 1000,
    summary: result.trace.summary,
  });
}

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const id = message.type === 'init' ? -1 : message.id;
  const work =
    message.type === 'init'
      ? start(message.backend)
      : message.type === 'density'
        ? Promise.resolve(density(message.id, message.target, message.resolution))
        : runSampler(message);
  work.catch((error: unknown) => {
    post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  });
});
