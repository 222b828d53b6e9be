/**
 * Generates the API reference (Markdown) from the doc comments of every published package with TypeDoc and
 * typedoc-plugin-markdown, into `src/api/` (gitignored: generated at build time, never committed). Any TypeDoc
 * warning (a broken `{@link}`, an unknown tag) fails the build.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  Application,
  type CommentDisplayPart,
  type Context,
  Converter,
  type DeclarationReflection,
  type ProjectReflection,
  type Reflection,
  ReflectionKind,
} from 'typedoc';

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
    // a warning is a defect of the reference (most often a `{@link}` that goes nowhere): fail the build on it
    treatWarningsAsErrors: true,
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
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context: Context) => linkAcrossPackages(context.project));
  const project = await app.convert();
  if (project === undefined)
    throw new Error('TypeDoc could not convert the packages (see the messages above)');
  // the checks TypeDoc's command line runs after converting (broken `{@link}`s among them); the API does not
  app.validate(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings())
    throw new Error(
      'TypeDoc reported errors or warnings on the API reference (see above); fix the doc comments',
    );
  await app.generateOutputs(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings())
    throw new Error('TypeDoc reported errors or warnings while generating the API reference (see above)');
  writeFileSync(join(options.outDir, 'index.md'), overview(packages));
  return packages;
}

const IDENTIFIER = /^\s*([A-Za-z_$][\w$]*)\s*(?:\|[\s\S]*)?$/;

/**
 * Points a bare `{@link Name}` that its own package cannot resolve at the one export of that name elsewhere in the
 * reference: a comment in `schedules` that names `ValidationError` means `@rtk-diffusion/tensor`'s, which is
 * documented on the same site. A name exported by several packages, or by none, stays unresolved, and TypeDoc's
 * warning then fails the build.
 */
function linkAcrossPackages(project: ProjectReflection): void {
  const exported = new Map<string, Reflection[]>();
  for (const module of project.children ?? []) {
    for (const child of module.children ?? []) {
      if (child.kindOf(ReflectionKind.Reference)) continue; // a re-export points at the original
      exported.set(child.name, [...(exported.get(child.name) ?? []), child]);
    }
  }
  const moduleOf = (reflection: Reflection): Reflection | undefined => {
    let current: Reflection | undefined = reflection;
    while (current !== undefined && !current.kindOf(ReflectionKind.Module)) current = current.parent;
    return current;
  };
  const resolve = (owner: Reflection, parts: readonly CommentDisplayPart[]): void => {
    for (const part of parts) {
      if (part.kind !== 'inline-tag' || !part.tag.startsWith('@link') || part.target !== undefined) continue;
      const name = IDENTIFIER.exec(part.text)?.[1];
      const candidates = name === undefined ? [] : (exported.get(name) ?? []);
      const own = moduleOf(owner);
      if (candidates.length !== 1 || candidates.some((c) => c.parent === own)) continue;
      // what TypeDoc does for a link it resolves itself: the target, and the display text after `|` if any
      const display = part.text.split('|')[1]?.trim();
      Object.assign(part, { target: candidates[0], text: display || name });
    }
  };
  for (const reflection of Object.values(project.reflections)) {
    const comment = reflection.comment;
    if (comment === undefined) continue;
    resolve(reflection, comment.summary);
    for (const tag of comment.blockTags) resolve(reflection, tag.content);
  }
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
