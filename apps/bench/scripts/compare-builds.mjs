// Compares two builds of the repository (e.g. this tree against `main`): `times` prints, per size of the speed suite,
// the median wall and process CPU ms of a score, a log-density and a normal draw (15 calls) and of ddpm, ddim and
// rtk-mala at NFE 100 (3 runs, after a warm-up); `hashes` prints a SHA-256 of every registered sampler's samples at
// four small sizes (with the DDIM η, DDPM variance and RTK start variants), to check that two builds draw the same
// bits. Usage, for a build of main beside this one:
//   git archive main | tar -x -C /tmp/main && (copy the package node_modules links, build with tsc -p tsconfig.build.json)
//   node apps/bench/scripts/compare-builds.mjs times /tmp/main [wasm|cpu]
//   node apps/bench/scripts/compare-builds.mjs hashes /tmp/main cpu > main.json   (and again with this tree's root)
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';

const [mode, root, backend = 'wasm'] = process.argv.slice(2);
if ((mode !== 'times' && mode !== 'hashes') || root === undefined) {
  console.error('usage: compare-builds.mjs times|hashes ROOT [wasm|cpu]');
  process.exit(2);
}
const { SAMPLER_NAMES, getSampler } = await import(`${root}/packages/samplers/dist/index.js`);
const { mixtureModel } = await import(`${root}/packages/scores/dist/index.js`);
const { createRng, initBackend } = await import(`${root}/packages/tensor/dist/index.js`);
await initBackend({ prefer: backend });

/** The speed suite's mixture of a size (apps/bench/src/speed/sizes.ts). */
function modelOf(d, k) {
  const draws = createRng(7).normalArray(k, d);
  return mixtureModel({
    weights: new Array(k).fill(1 / k),
    means: Array.from({ length: k }, (_, i) => Array.from(draws.subarray(i * d, (i + 1) * d), (v) => 2 * v)),
    covariances: Array.from({ length: k }, (_, i) => 0.05 + 0.01 * i),
  });
}

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values) => [...values].sort((p, q) => p - q)[values.length >> 1];

async function time(fn, repeats) {
  await fn();
  const [wall, used] = [[], []];
  for (let i = 0; i < repeats; i++) {
    const [w, c] = [performance.now(), cpu()];
    await fn();
    wall.push(performance.now() - w);
    used.push(cpu() - c);
  }
  return { wall: +median(wall).toFixed(2), cpu: +median(used).toFixed(2), load: +loadavg()[0].toFixed(2) };
}

if (mode === 'times') {
  for (const [n, d, k] of [
    [10_000, 2, 8],
    [100_000, 10, 16],
    [1_000, 784, 10],
  ]) {
    const size = `${n}x${d}x${k}`;
    const model = modelOf(d, k);
    const x = createRng(11).normal([n, d]);
    const rng = createRng(12);
    console.log(
      JSON.stringify({ size, what: 'score', ...(await time(() => model.score(x, 0.5).dispose(), 15)) }),
    );
    console.log(
      JSON.stringify({
        size,
        what: 'logDensity',
        ...(await time(() => model.logDensity(x, 0.5).dispose(), 15)),
      }),
    );
    console.log(
      JSON.stringify({ size, what: 'normal', ...(await time(() => rng.normal([n, d]).dispose(), 15)) }),
    );
    x.dispose();
    for (const name of ['ddpm', 'ddim', 'rtk-mala']) {
      const sampler = getSampler(name);
      const run = async () => (await sampler.sample({ model, n, nfe: 100, rng: createRng(0) })).x.dispose();
      console.log(JSON.stringify({ size, what: name, ...(await time(run, 3)) }));
    }
  }
} else {
  const out = {};
  for (const [n, d, k] of [
    [300, 2, 8],
    [200, 10, 16],
    [40, 784, 10],
    [50, 40, 3],
  ]) {
    const model = modelOf(d, k);
    for (const name of SAMPLER_NAMES) {
      const variants = [{}];
      if (name === 'ddim') variants.push({ eta: 0.5 });
      if (name === 'ddpm') variants.push({ variance: 'posterior' });
      if (name.startsWith('rtk')) variants.push({ start: 'ddpm' });
      for (const extra of variants) {
        const { x } = await getSampler(name).sample({
          model,
          n,
          nfe: 60,
          rng: createRng(3),
          rowOffset: 17,
          ...extra,
        });
        const hash = createHash('sha256').update(x.dataSync()).digest('hex').slice(0, 16);
        out[`${n}x${d}x${k} ${name} ${JSON.stringify(extra)}`] = hash;
        x.dispose();
      }
    }
  }
  console.log(JSON.stringify(out, null, 1));
}
