import { defineProject } from 'vitest/config';

// The docs tests drive a real browser against the built site: no TensorFlow.js in the test process, so the shared
// setup (which initialises a backend) is not used.
export default defineProject({
  test: {
    name: 'docs',
    environment: 'node',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
