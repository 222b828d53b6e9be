/**
 * Runs the TypeScript examples of a Markdown file the way a user runs them: types stripped, then a fresh `node`
 * process that imports the package's built `dist` and its installed dependencies (no test runner, no source
 * condition, no backend that a test setup already started).
 */

/** Options of {@link runReadmeExamples}. */
export interface ReadmeExampleOptions {
  /**
   * Milliseconds one example may run before its process is killed and the run fails; default 50 000, under the 60 s
   * test timeout of this repository's Vitest setup, so that the example (not the test) reports the timeout.
   */
  readonly timeoutMs?: number;
}

/**
 * Directory, beside the Markdown file, that holds the examples while they run (git-ignored, hence also ignored by
 * Biome and turbo; outside every tsconfig's `include`).
 */
export const README_EXAMPLES_DIRECTORY = '.readme-examples';

/** Default of {@link ReadmeExampleOptions.timeoutMs}. */
const DEFAULT_TIMEOUT_MS = 50_000;

/** Environment variables of the test runner that a user's `node` process would not have. */
const RUNNER_VARIABLE = /^VITEST/;

/**
 * Runs every ` ```ts ` code block of a Markdown file (a package README), in order, so README examples are executed by
 * a test and cannot rot. Each block is transpiled to JavaScript by the TypeScript compiler (`transpileModule`, the
 * `typescript` package resolved from the file's directory), written as an ES module into {@link
 * README_EXAMPLES_DIRECTORY} beside the file (so its imports, the package's own name included, resolve as they would
 * for a user of the package) and run by a fresh `node` process with the file's directory as working directory. An
 * example fails when it throws or exits non-zero: the error then carries its stderr. The package must be built
 * (`dist`), as for any user. Node only; it throws plain `Error`s, like the test helpers of a test framework.
 *
 * @returns the number of examples that ran.
 */
export async function runReadmeExamples(
  readmePath: string,
  options: ReadmeExampleOptions = {},
): Promise<number> {
  const fs = (await import(
    /* @vite-ignore */ 'node:fs/promises' as string
  )) as typeof import('node:fs/promises');
  const path = (await import(/* @vite-ignore */ 'node:path' as string)) as typeof import('node:path');
  const module = (await import(/* @vite-ignore */ 'node:module' as string)) as typeof import('node:module');
  const markdown = await fs.readFile(readmePath, 'utf8');
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  if (blocks.length === 0) throw new Error(`${readmePath} has no \`\`\`ts example to run`);
  let ts: typeof import('typescript');
  try {
    ts = module.createRequire(path.resolve(readmePath))('typescript') as typeof import('typescript');
  } catch (error) {
    throw new Error(`runReadmeExamples needs the typescript package, resolvable from ${readmePath}`, {
      cause: error,
    });
  }
  const cwd = path.dirname(path.resolve(readmePath));
  const parent = path.join(cwd, README_EXAMPLES_DIRECTORY);
  await fs.mkdir(parent, { recursive: true });
  const dir = await fs.mkdtemp(path.join(parent, 'run-'));
  try {
    for (const [index, code] of blocks.entries()) {
      const label = `README example ${index + 1} of ${readmePath}`;
      const { outputText, diagnostics } = ts.transpileModule(code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        reportDiagnostics: true,
      });
      if (diagnostics !== undefined && diagnostics.length > 0) {
        const messages = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        throw new Error(`${label} does not parse: ${messages.join('; ')}`);
      }
      const file = path.join(dir, `example-${index + 1}.mjs`);
      await fs.writeFile(file, outputText);
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const { code: exit, stdout, stderr, timedOut } = await runNode(file, cwd, timeoutMs);
      if (stdout.length > 0) process.stdout.write(stdout);
      if (exit !== 0) {
        const hint = /ERR_MODULE_NOT_FOUND[\s\S]*\/dist\//.test(stderr) ? ' (is the package built?)' : '';
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with code ${exit}`;
        throw new Error(`${label} failed: node ${why}${hint}\n${stderr.trim()}`);
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rmdir(parent).catch(() => undefined); // only when empty: another run may be using it
  }
  return blocks.length;
}

interface NodeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs `node file` in `cwd` with the test runner's variables removed; resolves when the process ends. */
async function runNode(file: string, cwd: string, timeoutMs: number): Promise<NodeRun> {
  const { spawn } = (await import(
    /* @vite-ignore */ 'node:child_process' as string
  )) as typeof import('node:child_process');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !RUNNER_VARIABLE.test(name)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
