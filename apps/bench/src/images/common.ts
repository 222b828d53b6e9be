/**
 * Pieces shared by the suites with trained networks: the run directory (written as `<run-id>.partial/`, renamed when
 * complete, removed on failure), the environment record, progress lines, and the score model of a network with the
 * curvature bound every data distribution satisfies.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { type Progress, UsageError } from '@rtk-diffusion/cli';
import type { ScoreModel } from '@rtk-diffusion/scores';
import { TFJS_VERSION } from '@rtk-diffusion/tensor';
import type { BenchIo } from '../main.js';
import { defaultResultsDirectory } from '../main.js';
import type { ResultsFile } from '../results.js';
import type { NeuralSuiteOptions } from './dispatch.js';

/** The environment record of a run (as `results.json` has it), with the load average at the start. */
export function runEnvironment(workers: number): ResultsFile['environment'] & { loadAverage: number } {
  let commit: string | null = null;
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    commit = null;
  }
  return {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    backend: 'wasm',
    workers,
    tfjs: TFJS_VERSION,
    commit,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}

/** A line logger to stderr with the elapsed time, silent when quiet. */
export function runLog(io: BenchIo, quiet: boolean): (line: string) => void {
  const started = Date.now();
  return (line) => {
    if (quiet) return;
    const seconds = Math.round((Date.now() - started) / 1000);
    io.stderr.write(
      `[${String(Math.floor(seconds / 60)).padStart(3)}:${String(seconds % 60).padStart(2, '0')}] ${line}\n`,
    );
  };
}

/**
 * Runs `write(partial)` into `<parent>/<run-id>.partial/` and renames it to `<parent>/<run-id>/` when it returns;
 * removes the partial directory when it throws.
 */
export async function inRunDirectory<T>(
  options: NeuralSuiteOptions,
  suite: string,
  write: (partial: string, runId: string) => Promise<T>,
): Promise<{ directory: string; value: T }> {
  const runId = options.runId ?? `${new Date().toISOString().slice(0, 16).replace(':', '-')}-${suite}`;
  const directory = join(options.out ?? defaultResultsDirectory(), runId);
  if (existsSync(directory))
    throw new UsageError(`${directory} exists already; choose another --run-id or remove it`);
  const partial = `${directory}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    const value = await write(partial, runId);
    await rename(partial, directory);
    return { directory, value };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A network's score model with `curvatureBound(a) = 1/(1 − a)`: for any data distribution, −∇² log p_a =
 * (I − a Cov[x₀ | x_a] / (1 − a)) / (1 − a) ≼ I / (1 − a) (second-order Tweedie identity), so this bound holds for
 * every p₀ and needs nothing learned; it makes the RTK samplers' curvature-aware step sizes defined for a network.
 */
export function withSmoothingBound(model: ScoreModel): ScoreModel {
  return {
    dim: model.dim,
    score: (x, a) => model.score(x, a),
    curvatureBound: (a) => 1 / (1 - a),
  };
}

/** A progress reporter for `runSuite` that logs a line at most every `everyMs` (default 20 s). */
export function periodicProgress(log: (line: string) => void, everyMs = 20_000): Progress {
  let total = 1;
  let last = Date.now();
  return {
    setTotal: (value) => {
      total = value;
    },
    update: (done, label) => {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      log(`${((100 * done) / Math.max(total, 1)).toFixed(0).padStart(3)}% ${label ?? ''}`);
    },
    log,
    stop: () => {},
  };
}
