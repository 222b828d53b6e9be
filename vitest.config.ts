/** Workspace-level Vitest config: one project per package and app (each has its own `vitest.config.ts`). */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
