// Entry point of `pnpm bench`: builds the benchmarks app and what it depends on (turbo, cached), then runs it with the
// arguments given: `pnpm bench` (quick suite), `pnpm bench --full`, `pnpm bench compare results/A results/B`,
// `pnpm bench --help`. Results go to results/<run-id>/ (see apps/bench/README.md).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const turbo = join(root, 'node_modules', '.bin', 'turbo');

process.stderr.write('bench: building the benchmarks app (turbo, cached)…\n');
const build = spawnSync(
  turbo,
  ['run', 'build', '--filter=@rtk-diffusion/bench...', '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  },
);
if (build.status !== 0) {
  process.stderr.write(`bench: the build failed (exit ${build.status}); run \`pnpm build\` to see why\n`);
  process.exit(build.status ?? 1);
}
// Ctrl-C reaches the benchmark too, which stops cleanly (exit 130): wait for it instead of dying first.
process.on('SIGINT', () => {});
const run = spawnSync(
  process.execPath,
  [join(root, 'apps', 'bench', 'dist', 'bench.js'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(run.status ?? 1);
