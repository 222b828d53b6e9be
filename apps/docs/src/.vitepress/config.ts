/**
 * VitePress configuration of the rtk-diffusion docs. When the config loads (build and dev) it generates the API
 * reference with TypeDoc, so it always matches the packages' doc comments, and the pages of the images, toy and speed
 * benchmark suites from their latest committed runs; workspace packages resolve to their TypeScript sources through
 * the `@rtk-diffusion/source` export condition, so the playground needs no prior build.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig, type UserConfig } from 'vitepress';
import { resultsDirectories, scanRuns } from '../benchmarks/runs.js';
import { writeSuitePages } from '../benchmarks/suite-pages.js';
import { generateApiReference } from './api.js';
import { inputsFingerprint, STAMP_FILE } from './build-stamp.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const repoRoot = here('../../../../');
const apiDir = here('../api/');
// taken before anything is generated or built: the stamp says what this build was made from
const fingerprint = inputsFingerprint(repoRoot);

const packages = await generateApiReference({
  repoRoot,
  outDir: apiDir,
  docsRoot: here('../'),
  tsconfig: here('../../tsconfig.api.json'),
});

// RTK_DOCS_RESULTS_DIR previews the runs of another results directory (committed or not); by default, only runs that
// git tracks count, so a local run never shows on the site by accident.
const preview = process.env.RTK_DOCS_RESULTS_DIR;
writeSuitePages(
  scanRuns(repoRoot, preview === undefined ? resultsDirectories(repoRoot) : [preview], preview === undefined),
  { repoRoot, generated: here('../benchmarks/generated/'), assets: here('../public/bench-results/') },
);

/** The sidebar typedoc-vitepress-theme writes, or one link per package. */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = `${apiDir}typedoc-sidebar.json`;
  const generated = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as DefaultTheme.SidebarItem[])
    : [];
  return [
    { text: 'Overview', link: '/api/' },
    ...(generated.length > 0
      ? generated
      : packages.map((p) => ({ text: p.name, link: `/api/${p.name.replace('@', '')}/` }))),
  ];
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Guide',
    items: [
      { text: 'Getting started', link: '/guide/' },
      { text: 'The signal level a', link: '/guide/signal-level' },
      { text: 'Choosing a sampler', link: '/guide/choosing-a-sampler' },
      { text: 'Reading the results', link: '/guide/reading-results' },
      { text: 'Wrapping a trained network', link: '/guide/score-models' },
      { text: 'Tensor backends', link: '/guide/backends' },
    ],
  },
  {
    text: 'Tutorial',
    items: [{ text: 'Add a sampler', link: '/tutorial/add-a-sampler' }],
  },
];

const theory: DefaultTheme.SidebarItem[] = [
  {
    text: 'Theory',
    items: [
      { text: 'The RTK idea', link: '/theory/' },
      { text: 'Update formulas', link: '/theory/samplers' },
      { text: 'Complexity and choice', link: '/theory/complexity' },
      { text: 'References', link: '/theory/references' },
    ],
  },
];

const benchmarks: DefaultTheme.SidebarItem[] = [
  {
    text: 'Benchmarks',
    items: [
      { text: 'Exact targets (quick / full)', link: '/benchmarks/' },
      { text: 'Images: FID vs NFE', link: '/benchmarks/images' },
      { text: 'Toy: exact vs learned score', link: '/benchmarks/toy' },
      { text: 'Speed', link: '/benchmarks/speed' },
    ],
  },
];

const config: UserConfig<DefaultTheme.Config> = defineConfig({
  title: 'rtk-diffusion',
  description:
    'Diffusion-model samplers in TypeScript: DDPM, DDIM, PF-ODE, accelerated samplers, DPM-Solver++ and the Reverse Transition Kernel',
  outDir: '../dist',
  cacheDir: './.vitepress/cache',
  lastUpdated: false,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  // lets the browser test tell this build from a stale one (build-stamp.ts)
  buildEnd: (site) => {
    writeFileSync(join(site.outDir, STAMP_FILE), `${JSON.stringify({ inputs: fingerprint ?? null })}\n`);
  },
  markdown: { math: true },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/' },
      { text: 'Theory', link: '/theory/' },
      { text: 'API', link: '/api/' },
      { text: 'Benchmarks', link: '/benchmarks/' },
      { text: 'Playground', link: '/playground' },
    ],
    sidebar: {
      '/guide/': guide,
      '/tutorial/': guide,
      '/theory/': theory,
      '/benchmarks/': benchmarks,
      '/api/': [{ text: 'API reference', items: apiSidebar() }],
    },
    search: { provider: 'local' },
    outline: { level: [2, 3] },
  },
  vite: {
    resolve: {
      conditions: ['@rtk-diffusion/source'],
      // one TensorFlow.js core for the packages and the backends
      dedupe: ['@tensorflow/tfjs-core'],
    },
    worker: { format: 'es' },
    server: { fs: { allow: [repoRoot] } },
    build: {
      chunkSizeWarningLimit: 4096,
      rollupOptions: {
        onwarn(warning, warn) {
          // zod's sources carry comments Rollup cannot place; harmless and noisy
          if (warning.code === 'INVALID_ANNOTATION') return;
          warn(warning);
        },
      },
    },
  },
});

export default config;
