/**
 * The PyTorch peer (apps/bench/peer/torch_samplers.py): DDPM, DDIM and RTK-MALA with the exact isotropic-mixture
 * score in plain PyTorch on the CPU, run with /usr/bin/python3 on the same mixtures, grids, inner steps and step
 * sizes as ours, once with 1 thread (OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1)) and once with 2. Nothing is
 * installed: without `import torch` the peer is skipped with a message. Also the check that the peer's samples and
 * ours have the same per-coordinate means and variances, so the timings compare like with like.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Moments, SamplerPlan } from './measure.js';
import type { SpeedMixture, SpeedSize } from './sizes.js';
import { sizeLabel } from './sizes.js';

/** The samplers the peer implements. */
export const PEER_SAMPLERS: readonly string[] = Object.freeze(['ddpm', 'ddim', 'rtk-mala']);

/** The interpreter the peer runs with (Debian's python3-torch installs into it). */
export const PEER_PYTHON = '/usr/bin/python3';

/** apps/bench/peer/torch_samplers.py, found from src/speed or dist/speed. */
export function peerScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'peer', 'torch_samplers.py');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'peer', 'torch_samplers.py');
}

/** Whether `python -c 'import torch'` works; else why not. */
export function peerAvailability(
  python = PEER_PYTHON,
): { ok: true; torch: string } | { ok: false; reason: string } {
  if (!existsSync(python)) return { ok: false, reason: `${python} does not exist` };
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.status !== 0) {
    const last = (probe.stderr ?? '').trim().split('\n').at(-1) ?? '';
    return {
      ok: false,
      reason: `${python} cannot import torch (${last || `exit ${probe.status}`}); install Debian's python3-torch to run the PyTorch peer`,
    };
  }
  return { ok: true, torch: probe.stdout.trim() };
}

/** One case of the peer's config: a size, its mixture and the sampler plans. */
export interface PeerCase {
  readonly size: SpeedSize;
  readonly mixture: SpeedMixture;
  readonly plans: readonly SamplerPlan[];
}

/** Options of {@link runPeer}. */
export interface PeerOptions {
  readonly threads: number;
  readonly scoreRepeats: number;
  readonly samplerRepeats: number;
  readonly level: number;
  readonly seed: number;
  /** Side of the peak matMul (default 1024) and elements of the peak sum (default 2^24). */
  readonly peakSize?: number;
  readonly peakElements?: number;
  readonly python?: string;
  /** Kills the peer after this long (ms; default 30 min). */
  readonly timeoutMs?: number;
}

const numbers = z.array(z.number());
const peerOutputSchema = z.object({
  torch: z.string(),
  threads: z.number(),
  peak: z.object({
    matmulSize: z.number(),
    matmulMs: numbers,
    matmulGflops: z.number(),
    addElements: z.number(),
    addMs: numbers,
    addGBs: z.number(),
  }),
  cases: z.array(
    z.object({
      size: z.string(),
      scoreMs: numbers,
      scoreCpuMs: numbers.optional(),
      logDensityMs: numbers,
      normalMs: numbers,
      samplers: z.array(
        z.object({
          sampler: z.string(),
          ms: numbers,
          cpuMs: numbers.optional(),
          nfe: z.number(),
          mean: numbers,
          variance: numbers,
          kurtosis: numbers,
          meanAcceptance: z.number().optional(),
        }),
      ),
    }),
  ),
});

/** What the peer script prints (validated). */
export type PeerOutput = z.infer<typeof peerOutputSchema>;

/**
 * Runs the peer once with `threads` threads on the cases and returns its parsed output.
 *
 * @throws Error with the peer's stderr when it fails or prints something that is not its JSON.
 */
export function runPeer(cases: readonly PeerCase[], options: PeerOptions): PeerOutput {
  const config = {
    threads: options.threads,
    scoreRepeats: options.scoreRepeats,
    samplerRepeats: options.samplerRepeats,
    level: options.level,
    seed: options.seed,
    peakSize: options.peakSize ?? 1024,
    peakElements: options.peakElements ?? 2 ** 24,
    cases: cases.map((c) => ({
      size: sizeLabel(c.size),
      n: c.size.n,
      d: c.size.d,
      ...c.mixture,
      samplers: c.plans,
    })),
  };
  const threads = String(options.threads);
  const result = spawnSync(options.python ?? PEER_PYTHON, [peerScript(), '--threads', threads], {
    input: JSON.stringify(config),
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    timeout: options.timeoutMs ?? 30 * 60_000,
    env: {
      ...process.env,
      OPENBLAS_NUM_THREADS: threads,
      OMP_NUM_THREADS: threads,
      MKL_NUM_THREADS: threads,
    },
  });
  if (result.status !== 0) {
    throw new Error(
      `the PyTorch peer failed (exit ${result.status}${result.signal ? `, ${result.signal}` : ''}): ${(result.stderr ?? '').trim().slice(-2000)}`,
    );
  }
  return peerOutputSchema.parse(JSON.parse(result.stdout));
}

/** Upper-tail standard normal quantile z with P(Z > z) = p, by bisection on erfc (Abramowitz & Stegun 7.1.26). */
export function normalUpperQuantile(p: number): number {
  const tail = (z: number) => {
    const x = z / Math.SQRT2;
    const t = 1 / (1 + 0.3275911 * x);
    const poly =
      t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    return 0.5 * poly * Math.exp(-x * x);
  };
  let [low, high] = [0, 40];
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (tail(mid) > p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Whether two samples have the same per-coordinate means and variances (see {@link compareMoments}). */
export interface MomentCheck {
  /** max_j |mean difference| / its standard error. */
  readonly maxMeanZ: number;
  /** max_j |log variance ratio| / its standard error √((κ₁ − 1)/n₁ + (κ₂ − 1)/n₂). */
  readonly maxVarianceZ: number;
  /** The two-sided Bonferroni threshold over d coordinates at family-wise level 0.001. */
  readonly threshold: number;
  readonly similar: boolean;
}

/**
 * Compares per-coordinate moments: the z-score of each mean difference (standard error √(v₁/n₁ + v₂/n₂)) and of each
 * log variance ratio (standard error √((κ₁ − 1)/n₁ + (κ₂ − 1)/n₂), the delta method with kurtosis κ), against
 * Φ⁻¹(1 − 0.0005/d): with identical distributions all d coordinates stay below it with probability ≥ 0.999.
 */
export function compareMoments(ours: Moments, theirs: Omit<Moments, 'n'> & { n: number }): MomentCheck {
  const d = ours.mean.length;
  let maxMeanZ = 0;
  let maxVarianceZ = 0;
  for (let j = 0; j < d; j++) {
    const [v1, v2] = [ours.variance[j]!, theirs.variance[j]!];
    const meanZ = Math.abs(ours.mean[j]! - theirs.mean[j]!) / Math.sqrt(v1 / ours.n + v2 / theirs.n);
    const se = Math.sqrt((ours.kurtosis[j]! - 1) / ours.n + (theirs.kurtosis[j]! - 1) / theirs.n);
    const varianceZ = Math.abs(Math.log(v1 / v2)) / se;
    maxMeanZ = Math.max(maxMeanZ, Number.isFinite(meanZ) ? meanZ : Number.POSITIVE_INFINITY);
    maxVarianceZ = Math.max(maxVarianceZ, Number.isFinite(varianceZ) ? varianceZ : Number.POSITIVE_INFINITY);
  }
  const threshold = normalUpperQuantile(0.0005 / d);
  return { maxMeanZ, maxVarianceZ, threshold, similar: maxMeanZ <= threshold && maxVarianceZ <= threshold };
}
