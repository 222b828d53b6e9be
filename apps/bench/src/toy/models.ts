/**
 * The toy suite's networks: an MLP trained on exact samples of the grid-2d mixture (in data space: identity scaling,
 * so its diffusion is the exact target's and every sampler setting means the same for both), and one on two moons.
 */

import { join } from 'node:path';
import { groundTruth, resolveTarget } from '@rtk-diffusion/cli';
import { dataSet, IDENTITY_SCALING, type ScoreNetwork, twoMoons } from '@rtk-diffusion/scores/neural';
import { createRng } from '@rtk-diffusion/tensor';
import { cachedScoreNetwork, type Log } from '../images/models.js';
import type { ToySuiteConfig } from './config.js';

/** The two toy networks and whether they were trained in this run. */
export interface ToyNetworks {
  readonly grid: ScoreNetwork;
  readonly moons: ScoreNetwork;
  /** Training seconds of each network trained in this run (absent when loaded). */
  readonly trainedSeconds: Readonly<Record<string, number>>;
}

/** Loads the cached toy networks from `dir`, training those missing (or all with `retrain`). */
export async function toyNetworks(
  config: ToySuiteConfig,
  options: {
    readonly dir: string;
    readonly retrain?: boolean;
    readonly log?: Log;
    readonly signal?: AbortSignal;
  },
): Promise<ToyNetworks> {
  const target = await resolveTarget('grid-2d');
  const rows = await groundTruth(target.model, config.trainingRows, config.dataSeed);
  const gridData = dataSet(Float32Array.from(rows.values), rows.n, rows.d, {
    scaling: IDENTITY_SCALING,
    name: 'grid-2d',
  });
  const common = {
    ...(options.retrain === undefined ? {} : { retrain: options.retrain }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const grid = await cachedScoreNetwork({
    dir: join(options.dir, config.gridDir),
    recipe: config.grid,
    data: gridData,
    ...common,
  });
  const moons = await cachedScoreNetwork({
    dir: join(options.dir, config.moonsDir),
    recipe: config.moons,
    data: twoMoons(10_000, createRng(config.dataSeed + 1)),
    ...common,
  });
  const trainedSeconds: Record<string, number> = {};
  if (grid.trained) trainedSeconds[config.gridDir] = grid.seconds;
  if (moons.trained) trainedSeconds[config.moonsDir] = moons.seconds;
  return { grid: grid.network, moons: moons.network, trainedSeconds };
}
