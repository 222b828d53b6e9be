// Enforces the one-way dependency graph of ARCHITECTURE.md:
//   tensor ← schedules, mcmc, eval ← scores ← samplers ← cli, apps/*
// Checks both package.json dependencies and the `@rtk-diffusion/*` imports that appear in each package's sources.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Which workspace packages each package may depend on (runtime or dev). `*` means any. */
const allowed = {
  '@rtk-diffusion/tensor': [],
  '@rtk-diffusion/schedules': ['@rtk-diffusion/tensor'],
  '@rtk-diffusion/mcmc': ['@rtk-diffusion/tensor'],
  '@rtk-diffusion/eval': ['@rtk-diffusion/tensor'],
  '@rtk-diffusion/scores': ['@rtk-diffusion/tensor', '@rtk-diffusion/schedules'],
  '@rtk-diffusion/samplers': [
    '@rtk-diffusion/tensor',
    '@rtk-diffusion/schedules',
    '@rtk-diffusion/scores',
    '@rtk-diffusion/mcmc',
  ],
};
/** Test-only fixtures: allowed as a devDependency, checked against the graph through their own deps. */
const testUtils = '@rtk-diffusion/test-utils';

const root = new URL('..', import.meta.url).pathname;
const problems = [];

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs|vue)$/.test(name) ? [path] : [];
  });
}

const manifests = [];
for (const group of ['packages', 'apps']) {
  const base = join(root, group);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base)) {
    const file = join(base, name, 'package.json');
    if (existsSync(file))
      manifests.push({ dir: join(base, name), pkg: JSON.parse(readFileSync(file, 'utf8')) });
  }
}

for (const { dir, pkg } of manifests) {
  const rules = pkg.name === testUtils ? ['@rtk-diffusion/tensor'] : allowed[pkg.name];
  const isApp = dir.includes('/apps/') || pkg.name === '@rtk-diffusion/cli';
  if (!rules && !isApp) {
    problems.push(
      `${pkg.name}: not in the dependency graph of scripts/check-graph.mjs; add it there deliberately`,
    );
    continue;
  }
  const declared = new Set(
    [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies]
      .flatMap((deps) => Object.keys(deps ?? {}))
      .filter((dep) => dep.startsWith('@rtk-diffusion/')),
  );
  for (const dep of declared) {
    if (isApp || dep === testUtils) continue;
    if (!rules.includes(dep)) problems.push(`${pkg.name} depends on ${dep}, which the graph forbids`);
  }
  if (depIn(pkg.dependencies, testUtils))
    problems.push(`${pkg.name}: ${testUtils} may only be a devDependency`);
  for (const file of sourceFiles(join(dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from\s+['"](@rtk-diffusion\/[a-z-]+)/g)) {
      const dep = match[1];
      if (dep !== pkg.name && !declared.has(dep)) {
        problems.push(`${file.slice(root.length)} imports ${dep}, which ${pkg.name} does not declare`);
      }
    }
  }
}

function depIn(deps, name) {
  return Object.hasOwn(deps ?? {}, name);
}

if (problems.length > 0) {
  console.error(`Dependency graph check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`dependency graph ok (${manifests.length} packages)`);
