import { describe, expect, test } from 'vitest';
import { formatTable, ISSUE_SIZES, runScoreSpeed } from './score-speed.js';

describe('score-speed benchmark', () => {
  test('importing it runs nothing; a small run measures every kind and prints a table', () => {
    expect(ISSUE_SIZES.map(({ n, d, k }) => [n, d, k])).toEqual([
      [10_000, 2, 8],
      [10_000, 10, 16],
      [1_000, 784, 10],
      [100_000, 10, 16],
    ]);
    const seen: string[] = [];
    const rows = runScoreSpeed({
      sizes: [{ n: 200, d: 3, k: 4 }],
      repeats: 3,
      onRow: (row) => seen.push(row.kind),
    });
    expect(seen).toEqual(['isotropic', 'diagonal', 'full']);
    for (const row of rows) {
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.firstMs).toBeGreaterThan(0);
    }
    const table = formatTable(rows, 'wasm');
    expect(table).toContain('| n | d | K | covariance | ms / evaluation (median) |');
    expect(table.split('\n').filter((line) => line.startsWith('| 200 | 3 | 4 |'))).toHaveLength(3);
  });
});
