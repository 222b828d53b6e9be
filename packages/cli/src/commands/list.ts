/**
 * `rtk list`: the registered samplers with their NFE cost models, and the built-in targets. `rtk target NAME`: the
 * JSON mixture spec of a built-in target (a starting point for your own spec file).
 */
import { type GridChoice, getSampler, SAMPLER_NAMES } from '@rtk-diffusion/samplers';
import { writeFileAtomic } from '../atomic-write.js';
import { type CommandContext, printJson } from '../context.js';
import { formatTextTable } from '../table.js';
import { getTarget, TARGET_NAMES, TARGETS } from '../targets.js';

/** A sampler as `rtk list` shows it. */
export interface SamplerListing {
  readonly name: string;
  readonly title: string;
  readonly reference: string;
  /** Evaluations per outer step (a number, or a formula for RTK). */
  readonly evalsPerStep: number | string;
  /** The smallest NFE budget with default options. */
  readonly minNfe: number;
  /** The default grid. */
  readonly defaultGrid: GridChoice;
}

/** A target as `rtk list` shows it. */
export interface TargetListing {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly dim: number;
  readonly components: number;
}

/** Every registered sampler with its cost model under default options. */
export function listSamplers(): SamplerListing[] {
  return SAMPLER_NAMES.map((name) => {
    const sampler = getSampler(name);
    const cost = sampler.cost();
    return {
      name,
      title: sampler.title,
      reference: sampler.reference,
      evalsPerStep: cost.evalsPerStep,
      minNfe: cost.minNfe,
      defaultGrid: sampler.defaultGrid(),
    };
  });
}

/** Every built-in target. */
export function listTargets(): TargetListing[] {
  return TARGET_NAMES.map((name) => {
    const entry = TARGETS[name]!;
    return {
      name,
      title: entry.title,
      description: entry.description,
      dim: entry.dim,
      components: entry.spec.weights.length,
    };
  });
}

function gridText(grid: GridChoice): string {
  if (typeof grid === 'string') return grid;
  if (Array.isArray(grid)) return `${grid.length} levels`;
  if ('schedule' in grid) {
    const options = grid.options === undefined ? '' : ` ${JSON.stringify(grid.options)}`;
    return `${grid.schedule}${options}`;
  }
  return 'custom';
}

/** Runs `rtk list`. */
export function runList(context: CommandContext, options: { readonly json?: boolean }): void {
  const samplers = listSamplers();
  const targets = listTargets();
  if (options.json === true) {
    printJson(context.io, { samplers, targets });
    return;
  }
  const samplerTable = formatTextTable(
    ['sampler', 'evaluations per step', 'min NFE', 'default grid', 'description'],
    samplers.map((s) => [s.name, String(s.evalsPerStep), String(s.minNfe), gridText(s.defaultGrid), s.title]),
  );
  const targetTable = formatTextTable(
    ['target', 'd', 'modes', 'description'],
    targets.map((t) => [t.name, String(t.dim), String(t.components), t.title]),
  );
  context.io.stdout.write(
    `Samplers (NFE counts every score and log-density evaluation on the batch):\n\n${samplerTable}\n\n` +
      `Built-in targets (or pass --target spec.json; see 'rtk target NAME'):\n\n${targetTable}\n`,
  );
}

/** Runs `rtk target NAME [--out FILE]`: prints or writes the spec. */
export async function runTarget(
  context: CommandContext,
  name: string,
  options: { readonly out?: string },
): Promise<void> {
  const entry = getTarget(name);
  const text = `${JSON.stringify(entry.spec)}\n`;
  if (options.out === undefined) context.io.stdout.write(text);
  else await writeFileAtomic(options.out, text);
}
