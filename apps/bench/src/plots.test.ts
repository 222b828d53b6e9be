import { describe, expect, test } from 'vitest';
import { compactSvg, histogramSpec, renderSpec, scatterSpec } from './plots.js';
import type { ShowcaseTarget } from './results.js';

const showcase: ShowcaseTarget = {
  target: 'grid-2d',
  nfe: 50,
  slice: {
    dimension: 0,
    edges: [0, 1, 2, 3],
    counts: {
      'ground truth': { n: 6, bins: [1, 3, 2], below: 0, above: 0 },
      'ddpm (default)': { n: 8, bins: [2, 2, 2], below: 0, above: 2 },
    },
  },
  scatter: {
    dimensions: [0, 1],
    points: {
      'ground truth': [
        [0, 0],
        [1, 1],
      ],
      'rtk-mala (tuned)': [[0.5, 0.25]],
    },
  },
};

describe('plots', () => {
  test('compactSvg rounds geometry, never text', () => {
    const svg =
      '<path transform="translate(63.279999999999994,1.5)" d="M1.2251,0"/><text x="2.3456">0.925</text>';
    expect(compactSvg(svg)).toBe(
      '<path transform="translate(63.28,1.5)" d="M1.23,0"/><text x="2.35">0.925</text>',
    );
  });

  test('histogram and scatter render to SVG and PNG, panels in the showcase order', async () => {
    const { svg, png } = await renderSpec(histogramSpec(showcase));
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('ddpm (default)');
    expect(Buffer.from(png).subarray(1, 4).toString()).toBe('PNG');
    // Mass beyond the axis is reported, not dropped silently: 2 of 8 rows above the last edge.
    expect(svg).toContain('outside the axis: 25 % above');
    const scatter = scatterSpec(showcase) as { facet: { sort: string[] } };
    expect(scatter.facet.sort).toEqual(['ground truth', 'rtk-mala (tuned)']);
  });
});
