/**
 * The speed suite (`pnpm bench --suite speed`): on each available backend, the score of the isotropic mixture and
 * every registered sampler at a fixed NFE for each size, the backend's peak and our place under it (floor.ts), then
 * the PyTorch peer on the same problems (peer.ts); writes `results/<run-id>/` (results.json, summary.md, a plot)
 * through a `.partial` directory renamed when complete.
 */
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { UsageError, writeFileAtomic } from '@rtk-diffusion/cli';
import { SAMPLER_NAMES } from '@rtk-diffusion/samplers';
import { type MixtureModel, mixtureModel } from '@rtk-diffusion/scores';
import {
  type BackendName,
  createRng,
  initBackend,
  isRtkError,
  RtkError,
  TFJS_VERSION,
  tf,
} from '@rtk-diffusion/tensor';
import type { BenchIo } from '../main.js';
import { defaultResultsDirectory } from '../main.js';
import { kernelShares, measurePeak, measureShapeProduct, profileKernels, roofline } from './floor.js';
import { type Moments, measureSampler, measureScore, type SamplerTiming, samplerPlan } from './measure.js';
import {
  compareMoments,
  PEER_SAMPLERS,
  type PeerCase,
  type PeerOutput,
  peerAvailability,
  runPeer,
} from './peer.js';
import { renderSpeedPlot, speedSummaryMarkdown } from './report.js';
import { SPEED_SIZES, type SpeedSize, sizeLabel, speedMixture, speedMixtureSpec } from './sizes.js';
import {
  type PeerRun,
  SPEED_SCHEMA,
  type SpeedBackendResult,
  type SpeedComparison,
  type SpeedResults,
  type SpeedSizeResult,
} from './speed-results.js';
import { summarize } from './stats.js';

/** Options of {@link runSpeed}. */
export interface SpeedOptions {
  /** Default: the issue's three sizes. */
  readonly sizes?: readonly SpeedSize[];
  /** Default wasm, cpu, tensorflow (each skipped with a message when it cannot start). */
  readonly backends?: readonly BackendName[];
  /** Default: every registered sampler. */
  readonly samplers?: readonly string[];
  /** NFE budget of every sampler run (default 100). */
  readonly nfe?: number;
  /** Level a of the score timings (default 0.5). */
  readonly level?: number;
  /** Timed score evaluations after one warm-up (default 5). */
  readonly scoreRepeats?: number;
  /** Timed sampler runs after one warm-up (default 3). */
  readonly samplerRepeats?: number;
  readonly seed?: number;
  /**
   * A sampler cell whose estimated run time, NFE × (fastest score or log-density + fastest normal draw), exceeds this
   * (s) is skipped with a message
   * (default 20; the cpu backend is 10–50× slower than wasm).
   */
  readonly maxRunSeconds?: number;
  /** Run the PyTorch peer (default true; skipped with a message when `import torch` fails). */
  readonly peer?: boolean;
  /** Peer thread counts (default 1 and 2). */
  readonly peerThreads?: readonly number[];
  /** Side of the peak matMul and elements of the peak sum; default 1024 and 2^24 (cpu: 512 and 2^22). */
  readonly peakSize?: number;
  readonly peakElements?: number;
  /** Parent directory of the run directory; default `results/` at the repository root. */
  readonly out?: string;
  readonly runId?: string;
  readonly quiet?: boolean;
  readonly python?: string;
}

const loadNow = () => loadavg().map((v) => Number(v.toFixed(2)));

/** Runs the speed suite and writes `results/<run-id>/`; returns the directory and the results. */
export async function runSpeed(
  options: SpeedOptions,
  io: BenchIo,
): Promise<{ directory: string; results: SpeedResults }> {
  const started = Date.now();
  const sizes = options.sizes ?? SPEED_SIZES;
  const samplers = options.samplers ?? SAMPLER_NAMES;
  for (const name of samplers) {
    if (!(SAMPLER_NAMES as readonly string[]).includes(name))
      throw new UsageError(`unknown sampler '${name}'; the samplers are ${SAMPLER_NAMES.join(', ')}`);
  }
  const settings = {
    sizes: sizes.map((s) => ({ ...s })),
    nfe: options.nfe ?? 100,
    level: options.level ?? 0.5,
    scoreRepeats: options.scoreRepeats ?? 5,
    samplerRepeats: options.samplerRepeats ?? 3,
    seed: options.seed ?? 0,
    maxRunSeconds: options.maxRunSeconds ?? 20,
    samplers: [...samplers],
    peakStatistic: 'median' as const,
  };
  const runId = options.runId ?? `${new Date().toISOString().slice(0, 16).replace(':', '-')}-speed`;
  const directory = join(options.out ?? defaultResultsDirectory(), runId);
  if (existsSync(directory))
    throw new UsageError(`${directory} exists already; choose another --run-id or remove it`);
  const log = (line: string) => {
    if (options.quiet !== true) io.stderr.write(`${line}\n`);
  };
  const checkAborted = () => {
    if (io.signal?.aborted) throw new RtkError('E_ABORTED', 'speed: interrupted; nothing was written');
  };
  const load = { before: loadNow(), after: [] as number[] };
  // Taken now: the code being timed is the build loaded at the start, even if the tree is rebuilt during the run.
  const environment = {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    tfjs: TFJS_VERSION,
    commit: gitCommit(),
    uncommitted: uncommittedSources(),
    builds: distBuildTimes(),
  };
  log(`speed: load averages ${load.before.join(', ')} (1, 5, 15 min) on ${cpus().length} cores`);
  const original = tf.getBackend();
  const backends: SpeedBackendResult[] = [];
  const moments = new Map<string, Moments>(); // `${size}/${sampler}` → our samples' moments (first backend)
  const models = new Map<string, MixtureModel>();
  const modelOf = (size: SpeedSize) => {
    const key = sizeLabel(size);
    if (!models.has(key)) models.set(key, mixtureModel(speedMixtureSpec(speedMixture(size))));
    return models.get(key)!;
  };
  try {
    for (const backend of options.backends ?? (['wasm', 'cpu', 'tensorflow'] as const)) {
      let info: Awaited<ReturnType<typeof initBackend>>;
      try {
        info = await initBackend({ prefer: backend, onWarning: () => {} });
      } catch (error) {
        const message = `skipped: ${(error as Error).message}`;
        log(`speed: ${backend} ${message}`);
        backends.push({ backend, status: 'skipped', message, sizes: [] });
        continue;
      }
      if (info.name !== backend) {
        const message = `skipped: ${info.fallbackReason ?? `started ${info.name} instead`}`;
        log(`speed: ${backend} ${message}`);
        backends.push({ backend, status: 'skipped', message, sizes: [] });
        continue;
      }
      const slow = backend === 'cpu';
      const peak = measurePeak({
        matmulSize: options.peakSize ?? (slow ? 512 : 1024),
        elements: options.peakElements ?? (slow ? 2 ** 22 : 2 ** 24),
        repeats: 5,
      });
      log(
        `speed: ${backend}: peak ${peak.gflops.toFixed(2)} GFLOP/s (matMul ${peak.matmulSize}), ${peak.bandwidthGBs.toFixed(2)} GB/s (add)`,
      );
      const results: SpeedSizeResult[] = [];
      for (const size of sizes) {
        const label = sizeLabel(size);
        const model = modelOf(size);
        const timings = await measureScore(model, size, {
          repeats: settings.scoreRepeats,
          level: settings.level,
        });
        const shapeProduct = measureShapeProduct(size, settings.scoreRepeats);
        const x = createRng(11).normal([size.n, size.d]);
        const profile = await profileKernels(() => model.score(x, settings.level));
        x.dispose();
        log(
          `speed: ${backend} ${label}: score ${timings.score.median.toFixed(2)} ms, log-density ${timings.logDensity.median.toFixed(2)} ms, normal ${timings.normal.median.toFixed(2)} ms`,
        );
        // Medians: a sampler step also pays element-wise updates, so the fastest repeats underestimate a run
        // (by ≈ 2.5× on the cpu backend).
        const perEvaluation =
          Math.max(timings.score.median, timings.logDensity.median) + timings.normal.median;
        const estimate = (settings.nfe * perEvaluation) / 1000;
        const samplerResults: SamplerTiming[] = [];
        if (estimate > settings.maxRunSeconds)
          log(
            `speed: ${backend} ${label}: samplers skipped (estimated ${estimate.toFixed(0)} s per run > --max-run-seconds ${settings.maxRunSeconds})`,
          );
        for (const name of samplers) {
          checkAborted();
          if (estimate > settings.maxRunSeconds) {
            samplerResults.push({
              sampler: name,
              status: 'skipped',
              message: `estimated ${estimate.toFixed(0)} s per run (NFE ${settings.nfe} × (score + normal draw), medians) > --max-run-seconds ${settings.maxRunSeconds}`,
            });
            continue;
          }
          const key = `${label}/${name}`;
          const wantMoments = PEER_SAMPLERS.includes(name) && !moments.has(key);
          const { timing, moments: m } = await measureSampler(name, model, size, {
            nfe: settings.nfe,
            repeats: settings.samplerRepeats,
            seed: settings.seed,
            moments: wantMoments,
            ...(io.signal === undefined ? {} : { signal: io.signal }),
          });
          if (m !== undefined) moments.set(key, m);
          samplerResults.push(timing);
          log(
            `speed: ${backend} ${label} ${name}: ${timing.ms === undefined ? timing.message : `${timing.ms.median.toFixed(0)} ms, ${timing.samplesPerSecond!.toFixed(0)} samples/s`}`,
          );
        }
        results.push({
          size: label,
          ...size,
          ...timings,
          shapeProduct,
          scoreEvaluationsPerSecond: size.n / (timings.score.median / 1000),
          roofline: roofline(size, timings.score.median, peak),
          profile: {
            bytes: profile.bytes,
            flops: profile.flops,
            ms: profile.ms,
            kernels: kernelShares(profile),
          },
          samplers: samplerResults,
        });
      }
      backends.push({
        backend,
        status: 'ok',
        simd: info.simd,
        ...(info.threads === undefined ? {} : { threads: info.threads }),
        peak,
        sizes: results,
      });
    }
  } finally {
    if (original !== tf.getBackend() && original !== undefined) await tf.setBackend(original);
  }
  checkAborted();
  const peer = await runPeerPart(settings, sizes, samplers, modelOf, options, log);
  const comparisons = compare(backends, peer, moments, sizes);
  load.after = loadNow();
  const results: SpeedResults = {
    schema: SPEED_SCHEMA,
    runId,
    suite: 'speed',
    createdAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    environment,
    load,
    settings,
    backends,
    peer: peer.record,
    comparisons,
  };
  const partial = `${directory}.partial`;
  await mkdir(partial, { recursive: true });
  try {
    await writeFileAtomic(join(partial, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
    await writeSpeedReport(partial, results);
    await rm(directory, { recursive: true, force: true });
    await rename(partial, directory);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { directory, results };
}

/** Writes summary.md and the plot (speed.svg, speed.png) of a speed run into `directory`. */
export async function writeSpeedReport(directory: string, results: SpeedResults): Promise<void> {
  const plot = await renderSpeedPlot(results);
  if (plot !== undefined) {
    await writeFileAtomic(join(directory, 'speed.svg'), plot.svg);
    await writeFileAtomic(join(directory, 'speed.png'), plot.png);
  }
  await writeFileAtomic(
    join(directory, 'summary.md'),
    speedSummaryMarkdown(results, plot === undefined ? [] : ['speed.png']),
  );
}

function gitCommit(): string | null {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** When the dist of tensor, scores and samplers (what is timed) was built: `tensor 02:07:31Z, …` (UTC). */
function distBuildTimes(): string {
  const require = createRequire(import.meta.url);
  return ['tensor', 'scores', 'samplers']
    .map((name) => {
      try {
        const file = require.resolve(`@rtk-diffusion/${name}`);
        return `${name} ${statSync(file).mtime.toISOString().slice(11, 19)}Z`;
      } catch {
        return `${name} ?`;
      }
    })
    .join(', ');
}

/** Modified, uncommitted files under packages/ (other work in the tree that the build may have included). */
function uncommittedSources(): string {
  try {
    return execSync('git status --porcelain --untracked-files=no -- packages', {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .split('\n')
      .map((line) => line.slice(3).trim())
      .filter((path) => path !== '' && !path.endsWith('.test.ts'))
      .join(', ');
  } catch {
    return '';
  }
}

async function runPeerPart(
  settings: SpeedResults['settings'],
  sizes: readonly SpeedSize[],
  samplers: readonly string[],
  modelOf: (size: SpeedSize) => MixtureModel,
  options: SpeedOptions,
  log: (line: string) => void,
): Promise<{ record: SpeedResults['peer']; outputs: PeerOutput[] }> {
  const names = PEER_SAMPLERS.filter((name) => samplers.includes(name));
  if (options.peer === false)
    return { record: { status: 'skipped', message: 'not asked for (--no-peer)', runs: [] }, outputs: [] };
  const available = peerAvailability(options.python);
  if (!available.ok) {
    log(`speed: the PyTorch peer is skipped: ${available.reason}`);
    return { record: { status: 'skipped', message: available.reason, runs: [] }, outputs: [] };
  }
  const cases: PeerCase[] = [];
  for (const size of sizes) {
    const model = modelOf(size);
    const plans = [];
    for (const name of names) {
      try {
        plans.push(await samplerPlan(name, model, settings.nfe));
      } catch (error) {
        if (!isRtkError(error)) throw error;
        log(`speed: the peer skips ${name}: ${error.message}`);
      }
    }
    cases.push({ size, mixture: speedMixture(size), plans });
  }
  const runs: PeerRun[] = [];
  const outputs: PeerOutput[] = [];
  try {
    for (const threads of options.peerThreads ?? [1, 2]) {
      log(`speed: PyTorch ${available.torch} peer, ${threads} thread(s)…`);
      const output = runPeer(cases, {
        threads,
        scoreRepeats: settings.scoreRepeats,
        samplerRepeats: settings.samplerRepeats,
        level: settings.level,
        seed: settings.seed,
        ...(options.peakSize === undefined ? {} : { peakSize: options.peakSize }),
        ...(options.peakElements === undefined ? {} : { peakElements: options.peakElements }),
        ...(options.python === undefined ? {} : { python: options.python }),
      });
      outputs.push(output);
      runs.push({
        threads: output.threads,
        gflops: output.peak.matmulGflops,
        bandwidthGBs: output.peak.addGBs,
        sizes: output.cases.map((c) => ({
          size: c.size,
          score: summarize(c.scoreMs, c.scoreCpuMs),
          logDensity: summarize(c.logDensityMs),
          normal: summarize(c.normalMs),
          samplers: c.samplers.map((s) => ({
            sampler: s.sampler,
            ms: summarize(s.ms, s.cpuMs),
            nfe: s.nfe,
            ...(s.meanAcceptance === undefined ? {} : { acceptance: s.meanAcceptance }),
          })),
        })),
      });
    }
  } catch (error) {
    const message = (error as Error).message;
    log(`speed: ${message}`);
    return { record: { status: 'error', message, torch: available.torch, runs }, outputs };
  }
  return { record: { status: 'ok', torch: available.torch, runs }, outputs };
}

/** Ours (the first backend that measured it, wasm first by default) against the peer, per size and sampler. */
function compare(
  backends: readonly SpeedBackendResult[],
  peer: { record: SpeedResults['peer']; outputs: PeerOutput[] },
  moments: ReadonlyMap<string, Moments>,
  sizes: readonly SpeedSize[],
): SpeedComparison[] {
  if (peer.record.runs.length === 0) return [];
  const rows: SpeedComparison[] = [];
  for (const size of sizes) {
    const label = sizeLabel(size);
    for (const what of ['score', ...PEER_SAMPLERS]) {
      let ours: { backend: string; ms: number; cpuMs: number | undefined } | undefined;
      for (const b of backends) {
        const s = b.sizes.find((r) => r.size === label);
        if (s === undefined || ours !== undefined) continue;
        if (what === 'score') ours = { backend: b.backend, ms: s.score.median, cpuMs: s.score.cpu?.median };
        else {
          const t = s.samplers.find((r) => r.sampler === what && r.ms !== undefined);
          if (t !== undefined) ours = { backend: b.backend, ms: t.ms!.median, cpuMs: t.ms!.cpu?.median };
        }
      }
      if (ours === undefined) continue;
      const peerMs: Record<string, number> = {};
      const ratio: Record<string, number> = {};
      const cpuRatio: Record<string, number> = {};
      for (const run of peer.record.runs) {
        const s = run.sizes.find((r) => r.size === label);
        const timing = what === 'score' ? s?.score : s?.samplers.find((r) => r.sampler === what)?.ms;
        if (timing === undefined) continue;
        peerMs[String(run.threads)] = timing.median;
        ratio[String(run.threads)] = ours.ms / timing.median;
        if (ours.cpuMs !== undefined && timing.cpu !== undefined)
          cpuRatio[String(run.threads)] = ours.cpuMs / timing.cpu.median;
      }
      if (Object.keys(peerMs).length === 0) continue;
      const mine = moments.get(`${label}/${what}`);
      const theirs = peer.outputs[0]?.cases
        .find((c) => c.size === label)
        ?.samplers.find((s) => s.sampler === what);
      rows.push({
        size: label,
        what,
        backend: ours.backend,
        oursMs: ours.ms,
        peerMs,
        ratio,
        ...(Object.keys(cpuRatio).length > 0 ? { cpuRatio } : {}),
        ...(mine !== undefined && theirs !== undefined
          ? { moments: compareMoments(mine, { ...theirs, n: size.n }) }
          : {}),
      });
    }
  }
  return rows;
}
