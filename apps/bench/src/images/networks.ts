/** The image suite's networks: the U-Net score and the FID classifier, loaded from the cache or trained. */
import { join } from 'node:path';
import type { ImageClassifier, ScoreNetwork } from '@rtk-diffusion/scores/neural';
import type { ImageSuiteConfig } from './config.js';
import { cachedClassifier, cachedScoreNetwork, type Log, type MnistSplit } from './models.js';

/** The networks of an image run and the seconds spent training them here (0 when loaded). */
export interface ImageNetworks {
  readonly network: ScoreNetwork;
  readonly classifier: ImageClassifier;
  readonly trainedSeconds: Readonly<Record<string, number>>;
}

/** Loads the cached U-Net and classifier from `dir`, training those missing (or both with `retrain`). */
export async function imageNetworks(
  config: ImageSuiteConfig,
  split: MnistSplit,
  options: {
    readonly dir: string;
    readonly retrain?: boolean;
    readonly log?: Log;
    readonly signal?: AbortSignal;
  },
): Promise<ImageNetworks> {
  const common = {
    ...(options.retrain === undefined ? {} : { retrain: options.retrain }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const classifier = await cachedClassifier({
    dir: join(options.dir, config.classifierDir),
    recipe: config.classifier,
    data: split.train,
    ...common,
  });
  const score = await cachedScoreNetwork({
    dir: join(options.dir, config.scoreDir),
    recipe: config.score,
    data: split.train,
    ...common,
  });
  const trainedSeconds: Record<string, number> = {};
  if (classifier.trained) trainedSeconds[config.classifierDir] = classifier.seconds;
  if (score.trained) trainedSeconds[config.scoreDir] = score.seconds;
  return { network: score.network, classifier: classifier.classifier, trainedSeconds };
}
