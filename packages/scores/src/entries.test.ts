import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

/** The bare (non-relative) specifiers imported, statically, by a module and every relative module it imports. */
function externalImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      const specifier = match[1]!;
      if (/^import\s+type\s/.test(match[0]) || /^export\s+type\s/.test(match[0])) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.add(specifier);
    }
  };
  visit(join(src, entry));
  return external;
}

describe('package entries', () => {
  it('the main entry loads neither node built-ins nor tfjs-layers; /neural loads no node built-ins', () => {
    const main = [...externalImports('index.ts')];
    expect(main.filter((s) => s.startsWith('node:') || s.includes('tfjs-layers'))).toEqual([]);
    const neural = [...externalImports('neural.ts')];
    expect(neural).toContain('@tensorflow/tfjs-layers');
    expect(neural.filter((s) => s.startsWith('node:'))).toEqual([]);
    expect([...externalImports('node.ts')].some((s) => s.startsWith('node:'))).toBe(true);
  });
});
