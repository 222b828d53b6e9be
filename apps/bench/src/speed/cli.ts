/**
 * `pnpm bench --suite speed`: the speed suite's own command line (main.ts hands it every argument).
 */
import type { ExitCode } from '@rtk-diffusion/cli';
import { EXIT_CODES } from '@rtk-diffusion/cli';
import type { BenchIo } from '../main.js';

/** Runs the speed suite's command line on `argv` and returns the exit code (never throws). */
export async function speedMain(_argv: readonly string[], io: BenchIo): Promise<ExitCode> {
  io.stderr.write('bench: the speed suite is not ready yet\n');
  return EXIT_CODES.usage;
}
