import { fileURLToPath } from 'node:url';
import { runReadmeExamples } from '@rtk-diffusion/tensor/testing';
import { expect, test } from 'vitest';

test('the README examples run', async () => {
  expect(await runReadmeExamples(fileURLToPath(new URL('../README.md', import.meta.url)))).toBeGreaterThan(0);
});

test('the NEURAL.md example runs', async () => {
  expect(await runReadmeExamples(fileURLToPath(new URL('../NEURAL.md', import.meta.url)))).toBe(1);
});
