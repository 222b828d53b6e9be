/**
 * Test helpers (subpath `@rtk-diffusion/tensor/testing`). They do not depend on a test framework: they throw.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TensorLeakError } from './errors.js';

/**
 * Runs `fn` and throws a {@link TensorLeakError} if the number of live tensors (`tf.memory().numTensors`) is not the
 * same afterwards. `fn` must dispose everything it creates, including its result.
 *
 * @example
 * await expectNoTensorLeak(() => rowSquaredNorms(x).dispose());
 */
export async function expectNoTensorLeak(fn: () => unknown): Promise<void> {
  const before = tf.memory().numTensors;
  const result = fn();
  if (result instanceof Promise) await result;
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new TensorLeakError(
      `expected no tensor leak, but the live tensor count went from ${before} to ${after} (${after - before > 0 ? '+' : ''}${after - before})`,
      { before, after },
    );
  }
}

/**
 * Runs every ` ```ts ` code block of a Markdown file (a package README) as an ES module, in order, so README examples
 * are executed by a test and cannot rot. Each block is written next to the README (so it resolves the package's own
 * dependencies), imported, and deleted. Node only; call it from a test runner that can import TypeScript (Vitest).
 *
 * @returns the number of examples that ran.
 */
export async function runReadmeExamples(readmePath: string): Promise<number> {
  const fs = (await import(
    /* @vite-ignore */ 'node:fs/promises' as string
  )) as typeof import('node:fs/promises');
  const path = (await import(/* @vite-ignore */ 'node:path' as string)) as typeof import('node:path');
  const url = (await import(/* @vite-ignore */ 'node:url' as string)) as typeof import('node:url');
  const markdown = await fs.readFile(readmePath, 'utf8');
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  if (blocks.length === 0) throw new Error(`${readmePath} has no \`\`\`ts example to run`);
  const dir = path.dirname(readmePath);
  for (const [index, code] of blocks.entries()) {
    const file = path.join(dir, `.readme-example-${process.pid}-${index}.ts`);
    await fs.writeFile(file, code);
    try {
      await import(/* @vite-ignore */ url.pathToFileURL(file).href);
    } catch (error) {
      throw new Error(`README example ${index + 1} of ${readmePath} failed: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      await fs.rm(file, { force: true });
    }
  }
  return blocks.length;
}
