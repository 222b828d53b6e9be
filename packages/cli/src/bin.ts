#!/usr/bin/env node
/**
 * The `rtk` executable: runs `main` (program.ts) on the process arguments with the real streams, turns Ctrl-C into a
 * cancellation (the current step finishes, no partial output file is left, exit code 130), and sets the exit code.
 * The handler is installed before the command's modules load, so an early Ctrl-C is a cancellation too.
 */
const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nrtk: interrupted, stopping after the current step (Ctrl-C again to force)\n');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

const { main } = await import('./program.js');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
