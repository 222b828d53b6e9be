/**
 * The toy suite (`pnpm bench --suite toy`): the quick suite's grid-2d comparison run twice with the same seeds, tuning
 * and metrics, once on the exact mixture score and once on an MLP trained on 20 000 exact samples, plus DDPM on the
 * paper's uniform time grid for both; then how much of RTK's advantage over DDPM survives the learned score, and a
 * two-moons picture. Writes `results/<run-id>/` (results.json, showcase.json, toy.json, summary.md, plots).
 */
import { join } from 'node:path';
import { METRIC_NAMES, resolveTarget, writeFileAtomic } from '@rtk-diffusion/cli';
import type { ScoreModel } from '@rtk-diffusion/scores';
import { initBackend } from '@rtk-diffusion/tensor';
import { PAPER_DDPM_GRID } from '../candidates.js';
import {
  inRunDirectory,
  periodicProgress,
  runEnvironment,
  runLog,
  withSmoothingBound,
} from '../images/common.js';
import type { NeuralSuiteOptions } from '../images/dispatch.js';
import { defaultModelDirectory } from '../images/models.js';
import type { JobResult, RunJob } from '../jobs.js';
import type { BenchIo } from '../main.js';
import { renderSpec, writePlots } from '../plots.js';
import { createPool, type Pool } from '../pool.js';
import type { ResultsFile, ShowcaseFile } from '../results.js';
import { runSuite } from '../run-suite.js';
import { SEEDS, type Suite } from '../suites.js';
import { summaryMarkdown } from '../summary.js';
import { advantageMarkdown, advantageRows, type UniformGridRuns } from './advantage.js';
import type { ToySuiteConfig } from './config.js';
import { toyNetworks } from './models.js';
import { moonsPicture } from './moons.js';
import { networkPool } from './network-pool.js';

/** The label of the learned-score copy of grid-2d in the merged results. */
export const LEARNED_TARGET = 'grid-2d-mlp';

function toySuite(config: ToySuiteConfig, samplers: readonly string[]): Suite {
  return {
    name: config.name,
    description: `${config.name}: every sampler on grid-2d, exact score and a trained MLP score`,
    samplers,
    targets: [
      {
        target: 'grid-2d',
        n: config.n,
        tuningN: config.tuningN,
        nfes: config.nfes,
        showcaseNfe: config.showcaseNfe,
        paper: false,
        costFactor: 1,
      },
    ],
    seeds: [0],
    ...SEEDS,
    floorReplicates: config.floorReplicates,
    tuning: 'quick',
    maxPairwise: config.maxPairwise,
  };
}

/** DDPM on the paper's uniform time grid at every NFE, seed 0 (the grid RTK's segments follow). */
async function uniformGridRuns(pool: Pool, suite: Suite): Promise<UniformGridRuns> {
  const plan = suite.targets[0]!;
  const jobs: RunJob[] = plan.nfes.map((nfe, k) => ({
    kind: 'run',
    id: 1_000_000 + k,
    reference: { target: plan.target, n: plan.n, seed: suite.referenceSeed, maxPairwise: suite.maxPairwise },
    sampler: 'ddpm',
    nfe,
    n: plan.n,
    seed: suite.seeds[0]!,
    settings: { grid: PAPER_DDPM_GRID },
    metrics: METRIC_NAMES,
    cost: nfe,
  }));
  const results: Map<number, JobResult> = await pool.run(jobs);
  return Object.fromEntries(jobs.map((job) => [job.nfe, results.get(job.id)?.cell?.metrics ?? {}]));
}

/** Runs the toy suite; see the module comment. */
export async function runToySuite(
  config: ToySuiteConfig,
  options: NeuralSuiteOptions,
  io: BenchIo,
): Promise<{ directory: string; text: string }> {
  await initBackend({ prefer: 'wasm', onWarning: () => {} });
  const log = runLog(io, options.quiet === true);
  const started = Date.now();
  const networks = await toyNetworks(config, {
    dir: options.models ?? defaultModelDirectory(),
    ...(options.retrain === undefined ? {} : { retrain: options.retrain }),
    log,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
  const target = await resolveTarget('grid-2d');
  // The learned score gets the exact target's curvature bound, so RTK's step sizes are those of the exact run and
  // only the score differs; rtk-mala is left out (a network has no log-density).
  const learned: ScoreModel = {
    dim: 2,
    score: (x, a) => networks.grid.score(x, a),
    curvatureBound: (a) => target.model.curvatureBound(a),
  };
  const exactSuite = toySuite(config, config.samplers);
  const learnedSuite = toySuite(
    config,
    config.samplers.filter((s) => s !== 'rtk-mala'),
  );
  try {
    const { directory, value } = await inRunDirectory(options, config.name, async (partial, runId) => {
      const environment = runEnvironment(0);
      const exactPool = createPool({ workers: 0 });
      const learnedPool = networkPool(learned);
      const common = {
        runId,
        environment,
        progress: periodicProgress(log),
        ...(io.signal === undefined ? {} : { signal: io.signal }),
      };
      log('grid-2d, exact score: tuning and runs');
      const exact = await runSuite({ suite: exactSuite, pool: exactPool, ...common });
      log('grid-2d, trained MLP score: tuning and runs');
      const mlp = await runSuite({ suite: learnedSuite, pool: learnedPool, ...common });
      log('DDPM on the uniform time grid');
      const uniform = {
        exact: await uniformGridRuns(exactPool, exactSuite),
        mlp: await uniformGridRuns(learnedPool, learnedSuite),
      };
      const results = mergeResults(exact.results, mlp.results, started, config);
      const showcase: ShowcaseFile = {
        ...exact.showcase,
        targets: [
          ...exact.showcase.targets,
          ...mlp.showcase.targets.map((t) => ({ ...t, target: LEARNED_TARGET })),
        ],
      };
      log('two moons picture');
      const moons = await moonsPicture(withSmoothingBound(networks.moons), networks.moons, config);
      // PNG only: the SVG of 10 000 points is 1.5 MB
      const { png } = await renderSpec(moons.spec);
      await writeFileAtomic(join(partial, 'two-moons.png'), png);
      const rows = advantageRows(results.targets[0]!, results.targets[1]!, uniform);
      await writeFileAtomic(join(partial, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
      await writeFileAtomic(join(partial, 'showcase.json'), `${JSON.stringify(showcase)}\n`);
      await writeFileAtomic(
        join(partial, 'toy.json'),
        `${JSON.stringify({ uniformGrid: uniform, advantage: rows, networks: networks.trainedSeconds, moons: moons.seconds }, null, 1)}\n`,
      );
      log('rendering plots');
      const plots = await writePlots(partial, results, showcase.targets);
      const text = advantageMarkdown(rows, config);
      await writeFileAtomic(
        join(partial, 'summary.md'),
        `${text}\n![two moons](two-moons.png)\n\n${summaryMarkdown(results, plots)}`,
      );
      return text;
    });
    return { directory, text: value };
  } finally {
    networks.grid.dispose();
    networks.moons.dispose();
  }
}

/** One results file with both copies of grid-2d (the learned one renamed {@link LEARNED_TARGET}). */
function mergeResults(
  exact: ResultsFile,
  mlp: ResultsFile,
  started: number,
  config: ToySuiteConfig,
): ResultsFile {
  const [exactTarget, mlpTarget] = [exact.targets[0]!, mlp.targets[0]!];
  return {
    ...exact,
    description:
      `grid-2d with its exact score and with an MLP (${config.grid.architecture.kind === 'mlp' ? `${config.grid.architecture.depth} × ${config.grid.architecture.hidden}` : ''}, ` +
      `${config.grid.steps} steps on ${config.trainingRows} exact samples) in its place; same seeds, tuning and metrics`,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    targets: [
      { ...exactTarget, title: `${exactTarget.title}, exact score` },
      {
        ...mlpTarget,
        target: LEARNED_TARGET,
        title: `${mlpTarget.title}, trained MLP score`,
        description: `${mlpTarget.description}; score: the trained MLP (rtk-mala needs a log-density and is left out)`,
      },
    ],
  };
}
