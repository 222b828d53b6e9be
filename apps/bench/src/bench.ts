#!/usr/bin/env node
/**
 * Entry point of the benchmarks (`pnpm bench` runs it through scripts/bench.mjs): runs `main` (main.ts) on the process
 * arguments; Ctrl-C stops after the jobs in flight, removes the partial run directory and exits 130 (the handler is
 * installed before the modules load).
 */
const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nbench: interrupted, stopping after the jobs in flight (Ctrl-C again to force)\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
