#!/usr/bin/env node
// Makes sure the docs' browser test has a Chromium before it runs (the `test` script of this package runs this first,
// and .ci/run calls it too). It uses CHROMIUM_PATH when set, else Debian's /usr/bin/chromium; when that is absent, it
// installs Debian's `chromium` package with apt-get, as root or through sudo when sudo needs no password. Anything
// else fails with the command to run by hand: the browser test never skips.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const manual =
  "The docs tests need a real browser: install Debian's with `apt-get update && apt-get install -y chromium` " +
  '(as root), or set CHROMIUM_PATH to a Chromium or Chrome executable.';

function fail(reason) {
  console.error(`ensure-chromium: Chromium was not found at ${path}. ${reason}\n${manual}`);
  process.exit(1);
}

/** Runs a command with inherited output; true when it exits 0. */
function run(command, args) {
  console.log(`+ ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

const available = (command) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

if (!existsSync(path)) {
  if (process.env.CHROMIUM_PATH !== undefined) fail('CHROMIUM_PATH names no file.');
  if (!available('apt-get')) fail('apt-get is not available here, so it cannot be installed automatically.');
  const asRoot = process.getuid?.() === 0;
  const sudo =
    !asRoot && available('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!asRoot && !sudo) fail('Installing it needs root, or sudo without a password.');
  const prefix = sudo ? ['sudo', '-n'] : [];
  const [command, ...rest] = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  console.log("ensure-chromium: installing Debian's chromium for the docs' browser test");
  if (
    !run(command, [...rest, 'update', '-qq']) ||
    !run(command, [...rest, 'install', '-y', '-qq', 'chromium'])
  ) {
    fail('apt-get could not install the chromium package (see its output above).');
  }
  if (!existsSync(path)) fail('apt-get installed the chromium package, but not at this path.');
}
