/**
 * Generates the API reference (Markdown) from the doc comments of every published package with TypeDoc and
 * typedoc-plugin-markdown, into `src/api/` (gitignored: generated at build time, never committed).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Application, Converter, type DeclarationReflection, ReflectionKind } from 'typedoc';

/** A published workspace package: its name and entry point. */
export interface PublishedPackage {
  /** npm name, e.g. `@rtk-diffusion/tensor`. */
  readonly name: string;
  /** Folder name under packages/. */
  readonly folder: string;
  /** The package's one-line description. */
  readonly description: string;
  /** Absolute path of its `src/index.ts`. */
  readonly entry: string;
}

/** Every package under `packages/` that is not private and has a `src/index.ts`, sorted by folder name. */
export function publishedPackages(repoRoot: string): PublishedPackage[] {
  const base = join(repoRoot, 'packages');
  return readdirSync(base)
    .sort()
    .flatMap((folder): PublishedPackage[] => {
      const manifest = join(base, folder, 'package.json');
      const entry = join(base, folder, 'src', 'index.ts');
      if (!existsSync(manifest) || !existsSync(entry)) return [];
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name: string;
        private?: boolean;
        description?: string;
      };
      if (pkg.private === true) return [];
      return [{ name: pkg.name, folder, description: pkg.description ?? '', entry }];
    });
}

/** Options of {@link generateApiReference}. */
export interface ApiReferenceOptions {
  /** The repository root. */
  readonly repoRoot: string;
  /** Where the Markdown goes (emptied first). */
  readonly outDir: string;
  /** The VitePress source root (the sidebar's links are relative to it). */
  readonly docsRoot: string;
  /** The tsconfig TypeDoc compiles with. */
  readonly tsconfig: string;
}

/** Runs TypeDoc over every published package; returns the packages documented. */
export async function generateApiReference(options: ApiReferenceOptions): Promise<PublishedPackage[]> {
  const packages = publishedPackages(options.repoRoot);
  rmSync(options.outDir, { recursive: true, force: true });
  const app = await Application.bootstrapWithPlugins({
    entryPoints: packages.map((p) => p.entry),
    entryPointStrategy: 'resolve',
    tsconfig: options.tsconfig,
    plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
    out: options.outDir,
    docsRoot: options.docsRoot,
    readme: 'none',
    name: 'API reference',
    // one page per package: the reference is long but easy to search, and the site stays small
    outputFileStrategy: 'modules',
    entryFileName: 'index',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    useHTMLAnchors: true,
    excludePrivate: true,
    excludeInternal: true,
    excludeExternals: true,
    externalPattern: ['**/node_modules/**'],
    // the packages' own `tsc` runs check types; here only the comments matter
    skipErrorChecking: true,
    validation: { notExported: false, invalidLink: true, notDocumented: false },
    logLevel: 'Warn',
    sourceLinkTemplate: undefined,
    disableSources: true,
  } as Record<string, unknown>);
  // Modules are named after their npm package rather than their folder path.
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (_context, reflection: DeclarationReflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const source = reflection.sources?.[0]?.fullFileName;
    const match = packages.find(
      (p) => source === p.entry || reflection.name === relative(join(options.repoRoot, 'packages'), p.entry),
    );
    const byFolder = packages.find(
      (p) => reflection.name.startsWith(`${p.folder}/`) || reflection.name === p.folder,
    );
    const pkg = match ?? byFolder;
    if (pkg !== undefined) reflection.name = pkg.name;
  });
  const project = await app.convert();
  if (project === undefined)
    throw new Error('TypeDoc could not convert the packages (see the messages above)');
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error('TypeDoc reported errors while generating the API reference');
  writeFileSync(join(options.outDir, 'index.md'), overview(packages));
  return packages;
}

/** The reference's landing page: one row per package, with its description. */
function overview(packages: readonly PublishedPackage[]): string {
  const rows = packages.map(
    (p) => `| [\`${p.name}\`](./${p.name}.md) | ${p.description.replaceAll('|', '\\|')} |`,
  );
  return [
    '# API reference',
    '',
    "Generated from the packages' doc comments by TypeDoc each time the site is built, so it cannot drift from the",
    'code. One page per package; everything listed is exported from the package entry point (nothing else is public).',
    '',
    '| package | what it is for |',
    '| --- | --- |',
    ...rows,
    '',
    'Where the packages sit: `tensor` ← `schedules`, `mcmc`, `eval` ← `scores` ← `samplers` ← `cli`. Start with',
    '[getting started](/guide/) for a tour, or [`getSampler`](./@rtk-diffusion/samplers.md#getsampler) for the',
    "samplers' entry point.",
    '',
  ].join('\n');
}
