import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { README_EXAMPLES_DIRECTORY, runReadmeExamples } from './readme-examples.js';

// Fixture READMEs live inside this package (git-ignored), so `@rtk-diffusion/tensor` resolves to its dist.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(packageDir, README_EXAMPLES_DIRECTORY);

afterAll(() => rm(fixtures, { recursive: true, force: true }));

/** Writes a README made of the given ```ts blocks and returns its path. */
async function readme(...blocks: string[]): Promise<string> {
  await mkdir(fixtures, { recursive: true });
  const dir = await mkdtemp(join(fixtures, 'fixture-'));
  const file = join(dir, 'README.md');
  await writeFile(file, blocks.map((code) => `Some text.\n\n\`\`\`ts\n${code}\n\`\`\`\n`).join('\n'));
  return file;
}

describe('runReadmeExamples', () => {
  test('runs every block with types stripped and top-level await, and leaves no file behind', async () => {
    const file = await readme(
      "import { createRng, initBackend, type Rng } from '@rtk-diffusion/tensor';\nawait initBackend();\nconst rng: Rng = createRng(1);\nconsole.log(rng.normal([2, 2]).shape);",
      "const n: number = 2;\nif (n !== 2) throw new Error('no');",
    );
    expect(await runReadmeExamples(file)).toBe(2);
    expect(await readdir(join(file, '..'))).toEqual(['README.md']);
  });

  test('runs in a fresh node process: no backend is started unless the example starts one', async () => {
    // Under Vitest the setup file has started a backend, so this example passed when examples ran in-process.
    const file = await readme("import { tf } from '@rtk-diffusion/tensor';\ntf.tensor1d([1, 2]).dispose();");
    await expect(runReadmeExamples(file)).rejects.toThrow(
      /README example 1 of .* exited with code 1[\s\S]*No backend/,
    );
    expect(existsSync(join(file, '..', README_EXAMPLES_DIRECTORY))).toBe(false);
  });

  test('a failing example reports its number and stderr', async () => {
    const file = await readme('console.log(1);', "throw new Error('the second example broke');");
    await expect(runReadmeExamples(file)).rejects.toThrow(/README example 2 of .*the second example broke/s);
  });

  test('an example that never ends is killed after timeoutMs', async () => {
    const file = await readme('setInterval(() => undefined, 1000);');
    await expect(runReadmeExamples(file, { timeoutMs: 1500 })).rejects.toThrow(/timed out after 1500 ms/);
  });

  test('a file without a ```ts block is an error, not zero examples', async () => {
    const file = await readme();
    await expect(runReadmeExamples(file)).rejects.toThrow(/no ```ts example/);
  });
});
