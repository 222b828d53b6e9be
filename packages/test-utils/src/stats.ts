/**
 * Statistics for tests: distribution functions, Kolmogorov–Smirnov tests and an energy-distance permutation test.
 * All thresholds come from the tests' null distributions, never from tuning.
 */

/**
 * Anything that draws uniforms like `Rng.uniformArray` of `@rtk-diffusion/tensor`. (This module imports nothing, so
 * the tensor package's own statistical tests can use it by relative path without a dependency cycle.)
 */
export interface UniformSource {
  uniformArray(n: number, d: number): Float32Array;
}

/** erfc(x) (Numerical Recipes' erfcc, fractional error below 1.2e−7 everywhere). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(-z * z + poly);
  return x >= 0 ? value : 2 - value;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** P(K > x) for the Kolmogorov distribution: 2 Σ_k (−1)^{k−1} e^{−2k²x²}. */
export function kolmogorovSurvival(x: number): number {
  if (x <= 0) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) sum += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * x * x);
  return Math.min(1, Math.max(0, sum));
}

/** The x with P(K > x) = level (e.g. 1.9495 for 1e−3), by bisection. */
export function kolmogorovQuantile(level: number): number {
  let low = 0.2;
  let high = 6;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (kolmogorovSurvival(mid) > level) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** One-sample KS statistic D_n = sup |F_n − F| of `values` against the CDF `cdf`. */
export function ksOneSample(values: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** Two-sample KS statistic D = sup |F_a − F_b|. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Asymptotic critical value of the KS statistic at `level`: one-sample with n points (m omitted), or two-sample
 * with n and m points, c(level) · sqrt((n + m)/(n m)).
 */
export function ksCritical(level: number, n: number, m?: number): number {
  const c = kolmogorovQuantile(level);
  return m === undefined ? c / Math.sqrt(n) : c * Math.sqrt((n + m) / (n * m));
}

/** Rows of a row-major [n, d] array as a Float64Array view helper: column j. */
export function column(values: ArrayLike<number>, d: number, j: number): Float64Array {
  const n = Math.floor(values.length / d);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * d + j]!;
  return out;
}

/** Mean vector and (unbiased) covariance matrix of a row-major [n, d] sample. */
export function sampleMoments(
  values: ArrayLike<number>,
  d: number,
): { mean: number[]; covariance: number[][] } {
  const n = Math.floor(values.length / d);
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += values[i * d + j]! / n;
  const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const dj = values[i * d + j]! - mean[j]!;
      for (let k = 0; k <= j; k++) covariance[j]![k]! += (dj * (values[i * d + k]! - mean[k]!)) / (n - 1);
    }
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) covariance[k]![j] = covariance[j]![k]!;
  return { mean, covariance };
}

/** Result of {@link energyTest}. */
export interface TwoSampleTestResult {
  /** The energy statistic of the observed split (V-statistic, scaled by nm/(n+m)). */
  readonly statistic: number;
  /** Permutation p-value, (1 + #{permuted ≥ observed}) / (1 + permutations): exact level under the null. */
  readonly pValue: number;
}

/**
 * Energy-distance two-sample test (Székely & Rizzo 2004) with a permutation null distribution: the statistic is
 * E = nm/(n+m) · (2 mean‖a−b‖ − mean‖a−a'‖ − mean‖b−b'‖). The p-value is exact at any sample size because
 * permutations of the pooled sample are equally likely under the null.
 *
 * @param a - row-major [n, d] sample; @param b - row-major [m, d] sample.
 */
export function energyTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  d: number,
  options: { permutations?: number; rng: UniformSource },
): TwoSampleTestResult {
  const n = Math.floor(a.length / d);
  const m = Math.floor(b.length / d);
  const total = n + m;
  const pooled = new Float64Array(total * d);
  pooled.set(Float64Array.from(a).subarray(0, n * d), 0);
  pooled.set(Float64Array.from(b).subarray(0, m * d), n * d);
  const distances = new Float64Array(total * total);
  for (let i = 0; i < total; i++) {
    for (let j = i + 1; j < total; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = pooled[i * d + k]! - pooled[j * d + k]!;
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      distances[i * total + j] = dist;
      distances[j * total + i] = dist;
    }
  }
  const labels = new Uint8Array(total);
  const statisticOf = (): number => {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < total; i++) {
      for (let j = 0; j < total; j++) {
        const dist = distances[i * total + j]!;
        if (labels[i] !== labels[j]) ab += dist;
        else if (labels[i] === 0) aa += dist;
        else bb += dist;
      }
    }
    // ab counts each cross pair twice.
    return ((n * m) / total) * (ab / (n * m) - aa / (n * n) - bb / (m * m));
  };
  labels.fill(0, 0, n);
  labels.fill(1, n);
  const statistic = statisticOf();
  const permutations = options.permutations ?? 199;
  const order = Array.from({ length: total }, (_, i) => i);
  let exceed = 0;
  for (let p = 0; p < permutations; p++) {
    const u = options.rng.uniformArray(total, 1);
    // Fisher–Yates driven by the seeded uniforms.
    for (let i = total - 1; i > 0; i--) {
      const j = Math.floor(u[i]! * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    for (let i = 0; i < total; i++) labels[order[i]!] = i < n ? 0 : 1;
    if (statisticOf() >= statistic) exceed++;
  }
  return { statistic, pValue: (1 + exceed) / (1 + permutations) };
}
