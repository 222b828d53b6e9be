/**
 * The toy suite end to end at a tiny size (MLPs trained for 5 steps into a temporary model directory, 200 samples, one
 * NFE, inline): the merged results with an exact and a learned copy of grid-2d, the advantage table, the pictures.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ResultsFile } from '../results.js';
import { QUICK } from '../suites.js';
import { TOY_TINY } from './config.js';
import { LEARNED_TARGET, runToySuite } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-toy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const io = { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } };

describe('the toy suite at a tiny size', async () => {
  const { directory, text } = await runToySuite(
    TOY_TINY,
    { out: dir, runId: 'tiny', models: join(dir, 'models'), quiet: true },
    io,
  );
  const results = JSON.parse(readFileSync(join(directory, 'results.json'), 'utf8')) as ResultsFile;

  test('writes the results, the advantage table and the pictures', () => {
    for (const file of ['results.json', 'showcase.json', 'toy.json', 'summary.md', 'two-moons.png'])
      expect(existsSync(join(directory, file)), file).toBe(true);
    expect(text).toContain('RTK − DDPM uniform');
    expect(readFileSync(join(directory, 'summary.md'), 'utf8')).toContain(`## ${LEARNED_TARGET}`);
  });

  test('the exact and the learned copy of grid-2d ran every sampler with the same seeds', () => {
    expect(results.targets.map((t) => t.target)).toEqual(['grid-2d', LEARNED_TARGET]);
    const [exact, learned] = results.targets;
    for (const sampler of TOY_TINY.samplers) {
      for (const target of [exact!, learned!]) {
        const run = target.runs.find((r) => r.sampler === sampler && r.setting === 'tuned');
        expect(run?.metrics?.marginalAccuracy, `${target.target} ${sampler}`).toBeGreaterThan(0);
      }
    }
    // same reference, same floor: only the score differs
    expect(learned!.floor).toEqual(exact!.floor);
  });

  test('uses the quick suite’s seeds, so its exact copy of grid-2d is the quick run’s', () => {
    for (const key of ['tuningSeed', 'referenceSeed', 'tuningReferenceSeed'] as const)
      expect(results[key], key).toBe(QUICK[key]);
  });

  test('the advantage rows cover both scores at every NFE', () => {
    const toy = JSON.parse(readFileSync(join(directory, 'toy.json'), 'utf8')) as {
      advantage: { score: string; nfe: number; ddpmUniform?: number }[];
    };
    expect(toy.advantage.map((r) => `${r.score}@${r.nfe}`)).toEqual(['exact@20', 'mlp@20']);
    for (const row of toy.advantage) expect(row.ddpmUniform).toBeGreaterThan(0);
  });
});
