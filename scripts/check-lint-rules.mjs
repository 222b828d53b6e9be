// Checks the GritQL lint rules of lint/ (the plugins listed in biome.json) on snippets that must and must not fire:
// each snippet is linted on its own by Biome with only those plugins, and the rules that fired are compared with the
// expected ones. Part of `pnpm lint:root`, so a rule that stops catching a case fails the lint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const MATH = 'Math.random is not allowed';
const TF = 'A TensorFlow.js random op without its seed argument is not allowed';

/** [snippet, the message prefix it must raise, or null when it must pass]. */
const cases = [
  ['const u = Math.random();', MATH],
  ['const u = globalThis.Math.random();', MATH],
  ["const u = Math['random']();", MATH],
  ['const u = Math["random"]();', MATH],
  ['const u = Math[`random`]();', MATH],
  ['const { random } = Math;', MATH],
  ['const { random: draw, max } = Math;', MATH],
  ['const u = Math.max(1, 2);', null],
  ['const { max } = Math;', null],
  ["const u = table['random'];", null],
  ['const u = rng.random();', null],
  ['const x = tf.randomNormal([2, 3]);', TF],
  ['const x = tf.randomNormal([2, 3], 0, 1);', TF],
  ["const x = tf.randomNormal([2, 3], 0, 1, 'float32', 7);", null],
  ['const x = tf.randomUniform([2], -1, 1);', TF],
  ["const x = tf.randomUniform([2], -1, 1, 'float32', 7);", null],
  ['const x = tf.randomGamma([2], 1);', TF],
  ['const x = tf.truncatedNormal([2]);', TF],
  ['const x = tf.randomStandardNormal([2]);', TF],
  ["const x = tf.randomStandardNormal([2], 'float32', 7);", null],
  ['const x = tf.randomUniformInt([2], 0, 9);', TF],
  ['const x = tf.randomUniformInt([2], 0, 9, 7);', null],
  ['const x = tf.multinomial(logits, 4);', TF],
  ['const x = tf.multinomial(logits, 4, 7);', null],
  ['const x = tf.dropout(y, 0.5);', TF],
  ['const x = tf.dropout(y, 0.5, undefined, 7);', null],
  ['const x = createRng(7).normal([2, 3]);', null],
  ['const x = model.randomNormal([2, 3]);', null],
];

const { plugins } = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'lint-rules-'));
let output;
try {
  writeFileSync(
    join(dir, 'biome.json'),
    JSON.stringify({
      plugins: plugins.map((plugin) => join(root, plugin)),
      linter: { enabled: true, rules: { recommended: false } },
    }),
  );
  cases.forEach(([code], index) => {
    writeFileSync(join(dir, `case-${index}.ts`), `${code}\n`);
  });
  try {
    output = execFileSync(join(root, 'node_modules/.bin/biome'), ['lint', '--reporter=json', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    output = error.stdout; // Biome exits non-zero when a rule fires, as most cases expect
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const fired = new Map();
for (const { category, message, location } of JSON.parse(output).diagnostics) {
  if (category !== 'plugin') continue;
  const index = Number(/case-(\d+)\.ts$/.exec(location.path)?.[1]);
  fired.set(index, [...(fired.get(index) ?? []), message]);
}
const problems = [];
cases.forEach(([code, expected], index) => {
  const messages = fired.get(index) ?? [];
  if (expected === null && messages.length > 0)
    problems.push(`fires but must not: ${code}\n  ${messages[0]}`);
  if (expected !== null && !(messages.length === 1 && messages[0].startsWith(expected))) {
    problems.push(`must raise "${expected}" once: ${code}\n  got: ${JSON.stringify(messages)}`);
  }
});
if (problems.length > 0) {
  console.error(`lint rules (${plugins.join(', ')}):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`lint rules ok (${cases.length} cases)`);
