/**
 * VitePress data loader of the benchmark page: the latest committed `pnpm bench` results, read at build time.
 */
import { fileURLToPath } from 'node:url';
import { defineLoader } from 'vitepress';
import { loadLatestResults } from './results.js';
import type { BenchView } from './view.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The summarised results (see results.ts). */
declare const data: BenchView;

export { data };

export default defineLoader({
  watch: [`${repoRoot}results/*/results.json`],
  // RTK_DOCS_RESULTS_DIR points the page at another results directory (to preview a run before committing it).
  load: (): BenchView =>
    loadLatestResults(
      repoRoot,
      process.env.RTK_DOCS_RESULTS_DIR === undefined ? undefined : [process.env.RTK_DOCS_RESULTS_DIR],
    ),
});
