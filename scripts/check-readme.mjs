// Checks that README.md opens with the two commands (bench, then tests) and that .ci/run runs the second verbatim.
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const ci = readFileSync(new URL('.ci/run', root), 'utf8');

const blocks = [...readme.matchAll(/```(?:bash|sh)\n([^`]+?)\n```/g)].map((m) => m[1].trim());
const [benchCommand, testCommand] = blocks;
const ciCommand = /^TEST_COMMAND='(.+)'$/m.exec(ci)?.[1];
const problems = [];
if (!benchCommand?.endsWith('bench'))
  problems.push(`README's first command should run the bench, got: ${benchCommand}`);
if (!testCommand?.endsWith(' test'))
  problems.push(`README's second command should run the tests, got: ${testCommand}`);
if (ciCommand !== testCommand)
  problems.push(`.ci/run runs "${ciCommand}" but README's test command is "${testCommand}"`);
const firstHeadingEnd = readme.indexOf('```');
if (firstHeadingEnd < 0 || readme.slice(0, firstHeadingEnd).split('\n').length > 8) {
  problems.push('README must open with the two commands (within its first lines)');
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('README commands ok');
