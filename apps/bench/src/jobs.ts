/**
 * The unit of work of a benchmark: one sampler run scored against a target's reference, or the ground-truth floor of a
 * target. Jobs are plain JSON, run in worker threads (or inline), and every job seeds itself, so results do not
 * depend on which worker runs what, or in which order.
 */
import {
  evaluateSamples,
  groundTruth,
  type MetricName,
  type MetricValues,
  matrixColumn,
  type PreparedReference,
  prepareReference,
  type ResolvedTarget,
  type RunSettings,
  resolveTarget,
  runCell,
  type SampleMatrix,
  type SweepCell,
} from '@rtk-diffusion/cli';
import { type HistogramRange, referenceRange } from '@rtk-diffusion/eval';

/** The reference sample every run on a target is scored against. */
export interface ReferenceSpec {
  readonly target: string;
  readonly n: number;
  readonly seed: number;
  readonly maxPairwise: number;
}

/** What to keep of a run's samples for the plots. */
export interface CaptureSpec {
  readonly sliceDimension: number;
  readonly bins: number;
  readonly scatterDimensions: readonly [number, number];
  readonly scatterPoints: number;
}

/** One sampler run. */
export interface RunJob {
  readonly kind: 'run';
  readonly id: number;
  readonly reference: ReferenceSpec;
  readonly sampler: string;
  readonly nfe: number;
  readonly n: number;
  readonly seed: number;
  readonly settings: RunSettings;
  readonly metrics: readonly MetricName[];
  readonly capture?: CaptureSpec;
  /** Estimated cost (arbitrary units) for progress. */
  readonly cost: number;
}

/** Independent ground-truth samples scored like runs: the noise floor of every metric. */
export interface FloorJob {
  readonly kind: 'floor';
  readonly id: number;
  readonly reference: ReferenceSpec;
  readonly seeds: readonly number[];
  readonly n: number;
  readonly capture: CaptureSpec;
  readonly cost: number;
}

/** A job. */
export type Job = RunJob | FloorJob;

/** A histogram of one coordinate and a few points, kept from a run for the plots. */
export interface Capture {
  readonly edges: readonly number[];
  readonly n: number;
  readonly bins: readonly number[];
  /** Values below the first edge and above the last (not in `bins`; the plot reports them). */
  readonly below: number;
  readonly above: number;
  readonly points: readonly (readonly [number, number])[];
}

/** What a job returns. */
export interface JobResult {
  readonly id: number;
  readonly cell?: SweepCell;
  readonly floors?: readonly MetricValues[];
  readonly capture?: Capture;
}

interface Prepared {
  readonly target: ResolvedTarget;
  readonly reference: PreparedReference;
  /** Histogram range of each coordinate: the reference's range widened by 5 % on each side (`referenceRange`). */
  readonly range: (dimension: number) => HistogramRange;
}

/** Per-thread cache of prepared references (ground truth, MMD bandwidth, Gaussian fit). */
const cache = new Map<string, Promise<Prepared>>();

function prepared(spec: ReferenceSpec): Promise<Prepared> {
  const key = `${spec.target}|${spec.n}|${spec.seed}|${spec.maxPairwise}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = (async () => {
      const target = await resolveTarget(spec.target);
      const truth = await groundTruth(target.model, spec.n, spec.seed);
      const reference = await prepareReference(truth, {
        spec: target.spec,
        dimensions: target.entry.scatterDimensions,
        maxPairwise: spec.maxPairwise,
        seed: spec.seed,
      });
      // The plots bin on the range the marginal accuracy uses (the reference's, padded).
      const range = (dimension: number): HistogramRange => referenceRange(truth, dimension);
      return { target, reference, range };
    })();
    cache.set(key, entry);
  }
  return entry;
}

/** The histogram and the first points of a sample (rows are independent, so the first rows are a random subset). */
export function capture(samples: SampleMatrix, spec: CaptureSpec, range: HistogramRange): Capture {
  const [low, high] = range;
  const edges = Array.from({ length: spec.bins + 1 }, (_, b) => low + ((high - low) * b) / spec.bins);
  const bins = new Array<number>(spec.bins).fill(0);
  let below = 0;
  let above = 0;
  const column = matrixColumn(samples, spec.sliceDimension);
  for (const v of column) {
    if (v < low) below += 1;
    else if (v > high) above += 1;
    else bins[Math.min(spec.bins - 1, Math.floor(((v - low) / (high - low)) * spec.bins))]! += 1;
  }
  const [i, j] = spec.scatterDimensions;
  const points: [number, number][] = [];
  for (let row = 0; row < Math.min(samples.n, spec.scatterPoints); row++) {
    const x = samples.values[row * samples.d + i]!;
    const y = samples.values[row * samples.d + j]!;
    points.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000]);
  }
  return { edges: edges.map((e) => Number(e.toPrecision(6))), n: samples.n, bins, below, above, points };
}

/** Runs one job in this thread. Budget and divergence failures are part of the result; anything else throws. */
export async function runJob(job: Job): Promise<JobResult> {
  const { target, reference, range } = await prepared(job.reference);
  if (job.kind === 'floor') {
    const floors: MetricValues[] = [];
    let kept: Capture | undefined;
    for (const seed of job.seeds) {
      const truth = await groundTruth(target.model, job.n, seed);
      kept ??= capture(truth, job.capture, range(job.capture.sliceDimension));
      floors.push(await evaluateSamples(truth, reference));
    }
    return { id: job.id, floors, ...(kept === undefined ? {} : { capture: kept }) };
  }
  let kept: Capture | undefined;
  const spec = job.capture;
  const cell = await runCell({
    target,
    sampler: job.sampler,
    nfe: job.nfe,
    n: job.n,
    seed: job.seed,
    reference,
    settings: job.settings,
    metrics: job.metrics,
    ...(spec === undefined
      ? {}
      : {
          onSamples: (samples: SampleMatrix) => {
            kept = capture(samples, spec, range(spec.sliceDimension));
          },
        }),
  });
  return { id: job.id, cell, ...(kept === undefined ? {} : { capture: kept }) };
}
