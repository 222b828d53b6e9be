import { describe, expect, test } from 'vitest';
import { formatNormalTable, NORMAL_SHAPES, runNormalSpeed } from './normal-speed.js';

describe('normal-speed benchmark', () => {
  test('importing it runs nothing; a small run measures both engines and prints a table', () => {
    expect(NORMAL_SHAPES).toEqual([
      [1_000, 784],
      [100_000, 10],
      [10_000, 2],
    ]);
    const rows = runNormalSpeed({ shapes: [[50, 7]], repeats: 3 });
    expect(rows.map((r) => r.engine)).toEqual(['wasm-simd', 'js']);
    for (const row of rows) expect(row.millionsPerSecond).toBeGreaterThan(0);
    expect(formatNormalTable(rows)).toContain('| wasm-simd | 50 | 7 |');
  });
});
