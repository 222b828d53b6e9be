#!/usr/bin/env node
/**
 * Entry point of the benchmarks (`pnpm bench` runs it through scripts/bench.mjs): runs {@link main} on the process
 * arguments; Ctrl-C stops after the jobs in flight, removes the partial run directory and exits 130.
 */
import { main } from './main.js';

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nbench: interrupted, stopping after the jobs in flight (Ctrl-C again to force)\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
