import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runReadmeExamples } from './testing.js';

test('the README examples run', async () => {
  expect(await runReadmeExamples(fileURLToPath(new URL('../README.md', import.meta.url)))).toBeGreaterThan(0);
});
