/**
 * Messages between the playground page and its Web Worker. Every message of a run carries the run's `id`, so a late
 * message of a cancelled run is ignored.
 */

/** The tensor backends the playground offers. */
export type PlaygroundBackend = 'wasm' | 'webgl' | 'cpu';

/** One registered sampler, as the worker lists it. */
export interface SamplerListing {
  readonly name: string;
  readonly title: string;
  readonly reference: string;
  readonly minNfe: number;
  readonly evalsPerStep: number | string;
}

/** Page → worker: start a run. */
export interface RunRequest {
  readonly type: 'run';
  readonly id: number;
  readonly target: string;
  readonly sampler: string;
  readonly nfe: number;
  readonly n: number;
  readonly seed: number;
}

/** Page → worker: compute the density image of a target. */
export interface DensityRequest {
  readonly type: 'density';
  readonly id: number;
  readonly target: string;
  readonly resolution: number;
}

/** Page → worker, first message: choose the tensor backend. */
export interface InitRequest {
  readonly type: 'init';
  readonly backend: PlaygroundBackend;
}

/** Everything the page sends. */
export type ToWorker = InitRequest | RunRequest | DensityRequest;

/** The metrics the playground shows (every value a plain number). */
export interface PlaygroundMetrics {
  /** 1 − mean_j TV_j of the marginals (ALGORITHMS.md §6), 50 bins on the pooled range. */
  readonly marginalAccuracy: number;
  /** Total variation of the 30 × 30 joint histograms. */
  readonly histogramTv: number;
  /** Unbiased MMD² with the bandwidth fixed from the ground truth. */
  readonly mmd: number;
  /** Unbiased energy distance. */
  readonly energy: number;
  /** Sliced Wasserstein-2 over 64 directions. */
  readonly slicedW2: number;
  /** ½ Σ_i |ŵ_i − w_i| after assigning samples to their most responsible mode. */
  readonly modeWeightTv: number;
}

/** Everything the worker sends. */
export type FromWorker =
  | {
      readonly type: 'ready';
      readonly backend: string;
      readonly simd: boolean;
      readonly fallbackReason: string | undefined;
      readonly samplers: readonly SamplerListing[];
    }
  | {
      readonly type: 'density';
      readonly id: number;
      readonly resolution: number;
      readonly extent: number;
      /** Row-major density values, row 0 at the top (largest y). */
      readonly values: Float32Array;
    }
  | {
      readonly type: 'truth';
      readonly id: number;
      /** Baseline: the metrics of an independent exact sample of the same size (the floor a perfect sampler meets). */
      readonly floor: PlaygroundMetrics;
    }
  | {
      readonly type: 'step';
      readonly id: number;
      readonly step: number;
      readonly steps: number;
      readonly nfe: number;
      readonly a: number;
      /** Row-major [n, 2]. */
      readonly points: Float32Array;
    }
  | {
      readonly type: 'metrics';
      readonly id: number;
      readonly step: number;
      readonly steps: number;
      readonly final: boolean;
      readonly metrics: PlaygroundMetrics;
    }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly nfe: number;
      readonly seconds: number;
      readonly summary: Readonly<Record<string, number | string>>;
    }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
