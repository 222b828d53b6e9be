/**
 * Shared Vitest settings for every project of the workspace.
 *
 * The `@rtk-diffusion/source` condition makes workspace packages resolve to their TypeScript sources, so tests run
 * without a build. Node itself and published consumers never see this condition and get `dist`.
 */
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

const conditions = ['@rtk-diffusion/source', ...defaultServerConditions];

export const sharedConfig: ViteUserConfig = {
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
  },
};
