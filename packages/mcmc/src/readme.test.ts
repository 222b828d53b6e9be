/**
 * The README's example runs and prints what its `// prints:` comment says. The printed text is caught from
 * `console.log` (examples run in this process) and from `process.stdout` (examples run in a child process whose
 * output the runner forwards), so the check holds with either README runner.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { runReadmeExamples } from '@rtk-diffusion/tensor/testing';
import { expect, test, vi } from 'vitest';

test('the README example runs and prints what it says', async () => {
  const readme = fileURLToPath(new URL('../README.md', import.meta.url));
  const promised = [...(await readFile(readme, 'utf8')).matchAll(/\/\/ prints: (.+)$/gm)].map((m) =>
    m[1]!.trim(),
  );
  expect(promised.length).toBeGreaterThan(0);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    expect(await runReadmeExamples(readme)).toBeGreaterThan(0);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  const output = printed.join('\n');
  for (const line of promised) expect(output).toContain(line);
});
