/**
 * The playground's 2-D targets: Gaussian mixtures with exact scores at every level (ALGORITHMS.md §3), small enough
 * to sample in a browser tab. Each is a plain mixture spec, as `parseMixtureSpec` accepts it.
 */
import type { MixtureSpec } from '@rtk-diffusion/scores';

/** A playground target: a 2-D mixture and the square window the plot shows. */
export interface PlaygroundTarget {
  /** Stable name, used in the URL-free select box. */
  readonly name: string;
  /** One line for the select box. */
  readonly title: string;
  /** What it shows. */
  readonly description: string;
  /** The mixture p_0. */
  readonly spec: MixtureSpec;
  /** The plot shows [−extent, extent]². */
  readonly extent: number;
}

/** Means every `degrees`° on a circle of `radius`. */
function ring(components: number, radius: number): number[][] {
  return Array.from({ length: components }, (_, k) => {
    const angle = (2 * Math.PI * k) / components;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}

/** The playground's targets, first is the default. */
export const PLAYGROUND_TARGETS: readonly PlaygroundTarget[] = [
  {
    name: 'ring-8',
    title: 'Ring of 8 Gaussians',
    description: '8 equal components on a circle of radius 2, variance 0.03: separated modes',
    spec: {
      weights: new Array<number>(8).fill(1 / 8),
      means: ring(8, 2),
      covariances: new Array(8).fill(0.03),
    },
    extent: 3,
  },
  {
    name: 'paper-2d',
    title: "The paper's 18 modes (coordinates 1–2)",
    description:
      "The RTK paper's mixture restricted to its two informative coordinates: 18 equal components every 20° on the unit circle, variance 0.007 (ALGORITHMS.md §7)",
    spec: {
      weights: new Array<number>(18).fill(1 / 18),
      means: ring(18, 1),
      covariances: new Array(18).fill(0.007),
    },
    extent: 1.6,
  },
  {
    name: 'unbalanced',
    title: 'Unbalanced pair (10 % / 90 %)',
    description:
      'A rare, sharp mode beside a broad, correlated one: does the sampler keep the 10 % weight of the small mode?',
    spec: {
      weights: [0.1, 0.9],
      means: [
        [-2, 1.5],
        [1, -0.5],
      ],
      covariances: [
        0.02,
        [
          [0.6, 0.35],
          [0.35, 0.4],
        ],
      ],
    },
    extent: 3,
  },
  {
    name: 'grid-3',
    title: '3 × 3 grid, uneven weights',
    description:
      '9 components at {−2, 0, 2}², variance 0.04, weights ∝ 2^(−(i+j)/2): low-probability corners',
    spec: gridSpec(),
    extent: 3,
  },
];

function gridSpec(): MixtureSpec {
  const positions = [-2, 0, 2];
  const raw: number[] = [];
  const means: number[][] = [];
  positions.forEach((y, j) => {
    positions.forEach((x, i) => {
      raw.push(2 ** (-(i + j) / 2));
      means.push([x, y]);
    });
  });
  const total = raw.reduce((s, w) => s + w, 0);
  return { weights: raw.map((w) => w / total), means, covariances: new Array(9).fill(0.04) };
}

/** The target named `name`, or the first. */
export function playgroundTarget(name: string): PlaygroundTarget {
  return PLAYGROUND_TARGETS.find((t) => t.name === name) ?? PLAYGROUND_TARGETS[0]!;
}
