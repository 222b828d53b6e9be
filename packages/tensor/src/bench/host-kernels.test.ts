import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { formatHostKernelTable, HOST_KERNEL_SHAPES, runHostKernels } from './host-kernels.js';

describe('host-kernels benchmark', () => {
  test('importing it runs nothing; a small run times every kernel and its ops, leaks nothing, prints a table', () => {
    expect(HOST_KERNEL_SHAPES).toHaveLength(3);
    const before = tf.memory().numTensors;
    const rows = runHostKernels({ shapes: [[40, 3]], repeats: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(rows).toHaveLength(14);
    for (const row of rows) expect(row.medianMs).toBeGreaterThanOrEqual(0);
    expect(formatHostKernelTable(rows)).toContain('| 40x3 | DDPM update: rng.noisyUpdate |');
  });
});
