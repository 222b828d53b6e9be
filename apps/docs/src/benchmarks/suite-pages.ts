/**
 * The pages of the other benchmark suites (images, toy, speed) and the verdicts the guide quotes, from the committed
 * files at build time. Each suite's latest committed run already has a `summary.md` rendered by apps/bench (tables,
 * plots, image grids); this module writes it, adapted to the site, to `src/benchmarks/generated/<suite>.md`, which the
 * hand-written pages include (`<!--@include: ./generated/images.md-->`), and copies the images it shows to
 * `src/public/bench-results/<run-id>/`. Both folders are generated (gitignored), like the API reference, so a newly
 * committed run shows on the next build with no edit; the tables come from the same code that printed them in the
 * terminal, so the site and the results never disagree.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { hasPeer, latestOf, latestSpeedRuns, type RunFile, type RunScan, speedBackends } from './runs.js';

/** Where the generated files go. */
export interface SuitePageDirs {
  /** The repository root (for the paths the pages print). */
  readonly repoRoot: string;
  /** `src/benchmarks/generated/`: the includes. */
  readonly generated: string;
  /** `src/public/bench-results/`: the images, served at `/bench-results/`. */
  readonly assets: string;
}

/** An image the page shows: a file of a run directory, and its path under the site's `/bench-results/`. */
interface Image {
  readonly source: string;
  readonly target: string;
}

/** A summary.md adapted to a site page. */
interface Adapted {
  readonly markdown: string;
  readonly images: readonly Image[];
}

const IMAGE = /!\[([^\]]*)\]\(([^)\s]+)\)/g;

/**
 * Adapts a run's summary.md: headings one level down per `demote` (the page has its own title), relative image
 * links to `/bench-results/<run-id>/…` (a missing file becomes a note, never a broken image), `$` escaped (no math),
 * and the whole wrapped in `::: v-pre` so that nothing in it is read as a Vue template.
 */
export function adaptSummary(markdown: string, run: RunFile, demote: number): Adapted {
  const images: Image[] = [];
  const folder = basename(run.dir);
  const body = markdown
    .replace(/^(#{1,6}) /gm, (_, hashes: string) => `${'#'.repeat(Math.min(6, hashes.length + demote))} `)
    .replace(IMAGE, (whole, alt: string, target: string) => {
      if (/^[a-z]+:|^\//i.test(target)) return whole;
      if (!/^[\w.-]+\.(png|svg|jpe?g|gif|webp)$/i.test(target) || !existsSync(join(run.dir, target))) {
        return `_(image ${target} is not in the run's directory)_`;
      }
      images.push({ source: join(run.dir, target), target: `${folder}/${target}` });
      return `![${alt}](/bench-results/${folder}/${target})`;
    })
    .replaceAll('$', '\\$');
  return { markdown: `::: v-pre\n\n${body.trim()}\n\n:::\n`, images };
}

/** The run's summary.md adapted, with a line naming the run and its file; or a note when it has none. */
function runSection(run: RunFile, dirs: SuitePageDirs, demote: number): Adapted {
  const file = join(run.dir, 'summary.md');
  const source = relative(dirs.repoRoot, file).split('\\').join('/');
  const head = `Run \`${run.runId}\` (suite \`${run.suite}\`, ${run.createdAt}), rendered from \`${source}\`.\n\n`;
  if (!existsSync(file)) return { markdown: `${head}This run has no summary.md.\n`, images: [] };
  const adapted = adaptSummary(readFileSync(file, 'utf8'), run, demote);
  return { markdown: head + adapted.markdown, images: adapted.images };
}

/** The note of a page whose suite has no committed run. */
function none(suite: string): Adapted {
  return {
    markdown:
      `::: warning No committed run of the ${suite} suite\n` +
      `Run \`pnpm bench --suite ${suite}\` and commit \`results/<run-id>/\`; this page is then rebuilt from it.\n:::\n`,
    images: [],
  };
}

/** The speed runs' sections: for each run shown, what it covers, then its summary. */
function speedSections(runs: readonly RunFile[], dirs: SuitePageDirs): Adapted {
  if (runs.length === 0) return none('speed');
  const parts = runs.map((run) => {
    const backends = speedBackends(run).join(', ') || 'none';
    const peer = hasPeer(run) ? 'with the PyTorch comparison' : 'no PyTorch comparison';
    const section = runSection(run, dirs, 2);
    return {
      markdown: `## Run ${run.runId}: ${backends}; ${peer}\n\n${section.markdown}`,
      images: section.images,
    };
  });
  return { markdown: parts.map((p) => p.markdown).join('\n'), images: parts.flatMap((p) => p.images) };
}

/** The verdict section ("Do RTK-MALA and RTK-ULD beat DDPM …") of the main suite's latest summary, without its heading. */
function verdicts(main: RunFile | undefined): Adapted {
  const file = main === undefined ? undefined : join(main.dir, 'summary.md');
  if (main === undefined || file === undefined || !existsSync(file)) {
    return { markdown: '_No committed run of the quick or full suite yet._\n', images: [] };
  }
  const match = /^## Do RTK[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readFileSync(file, 'utf8'));
  if (match === null)
    return { markdown: `_The summary of run ${main.runId} has no verdict section._\n`, images: [] };
  const adapted = adaptSummary(match[1] ?? '', main, 0);
  return {
    markdown: `From run \`${main.runId}\` (suite \`${main.suite}\`):\n\n${adapted.markdown}`,
    images: [],
  };
}

/** What {@link writeSuitePages} wrote, by page. */
export interface SuitePages {
  readonly images: RunFile | undefined;
  readonly toy: RunFile | undefined;
  readonly speed: readonly RunFile[];
  readonly main: RunFile | undefined;
}

/**
 * Writes `images.md`, `toy.md`, `speed.md` and `verdicts.md` into `dirs.generated` (emptied first) and the images
 * they show into `dirs.assets` (emptied first), from the runs of `scan` (newest first).
 */
export function writeSuitePages(scan: RunScan, dirs: SuitePageDirs): SuitePages {
  const pages: SuitePages = {
    images: latestOf(scan, ['images']),
    toy: latestOf(scan, ['toy']),
    speed: latestSpeedRuns(scan),
    main: latestOf(scan, ['quick', 'full']),
  };
  const content: Record<string, Adapted> = {
    images: pages.images === undefined ? none('images') : runSection(pages.images, dirs, 1),
    toy: pages.toy === undefined ? none('toy') : runSection(pages.toy, dirs, 1),
    speed: speedSections(pages.speed, dirs),
    verdicts: verdicts(pages.main),
  };
  for (const dir of [dirs.generated, dirs.assets]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  for (const [name, adapted] of Object.entries(content)) {
    writeFileSync(join(dirs.generated, `${name}.md`), adapted.markdown);
    for (const image of adapted.images) {
      mkdirSync(join(dirs.assets, image.target, '..'), { recursive: true });
      copyFileSync(image.source, join(dirs.assets, image.target));
    }
  }
  return pages;
}
