import { describe, expect, test } from 'vitest';
import { formatTrainSpeedTable, runTrainSpeed } from './train-speed.js';

describe('train-speed benchmark', () => {
  test('importing it runs nothing; a tiny run measures every network and prints a table', async () => {
    const seen: string[] = [];
    const rows = await runTrainSpeed({
      channels: [2],
      mlpSteps: 3,
      unetSteps: 1,
      warmup: 1,
      mlpBatch: 16,
      unetBatch: 4,
      mlpInferenceRows: 10,
      imageInferenceRows: 4,
      mlpHidden: 8,
      onRow: (row) => seen.push(row.network),
    });
    expect(seen).toEqual(['mlp 3×8, 2-D', 'unet C=2, 28×28', 'classifier (FID features)']);
    for (const row of rows) {
      expect(row.trainExamplesPerSecond).toBeGreaterThan(0);
      expect(row.inferenceMs).toBeGreaterThan(0);
      expect(row.parameters).toBeGreaterThan(0);
    }
    expect(formatTrainSpeedTable(rows, 'wasm')).toContain('| unet C=2, 28×28 |');
  });
});
