import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// Two kinds of tests: the guide's examples and the tutorial's sampler run in Node on the wasm backend (shared setup);
// test/site.test.ts drives Debian's Chromium against the built site.
export default mergeConfig(
  sharedConfig,
  defineProject({
    test: { name: 'docs', testTimeout: 120_000, hookTimeout: 180_000 },
  }),
);
