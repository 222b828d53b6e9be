/**
 * Step sizes and other positive options: validation, and the step size as a tensor that broadcasts over a batch
 * (a scalar, or a column [n, 1] when there is one step size per chain).
 */
import { ShapeError, type Tensor, tf, ValidationError } from '@rtk-diffusion/tensor';
import type { StepSize } from './types.js';

/**
 * Checks a step size (a positive finite number, or a non-empty list of them, one per chain) and returns a frozen copy,
 * so later changes to the caller's array do not change the kernel.
 */
export function checkStepSize(kernel: string, stepSize: StepSize, name = 'stepSize'): StepSize {
  if (typeof stepSize === 'number') return checkPositive(kernel, name, stepSize);
  if (stepSize === null || typeof stepSize !== 'object' || typeof stepSize.length !== 'number') {
    throw new ValidationError(
      `${kernel}: ${name} must be a positive number or an array of them (one per chain), got ${String(stepSize)}`,
      { [name]: stepSize },
    );
  }
  if (stepSize.length === 0) {
    throw new ValidationError(`${kernel}: ${name} is an empty array; give one positive step size per chain`);
  }
  const copy = Array.from(stepSize, Number);
  copy.forEach((value, i) => {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new ValidationError(`${kernel}: ${name}[${i}] must be a positive finite number, got ${value}`, {
        index: i,
        value,
      });
    }
  });
  return Object.freeze(copy);
}

/** Checks that an option is a positive finite number and returns it. */
export function checkPositive(kernel: string, name: string, value: number): number {
  if (typeof value !== 'number' || !(Number.isFinite(value) && value > 0)) {
    throw new ValidationError(`${kernel}: ${name} must be a positive finite number, got ${String(value)}`, {
      [name]: value,
    });
  }
  return value;
}

/**
 * f(step size) as a tensor that broadcasts over a batch of n rows: a scalar for a shared step size, a column [n, 1]
 * for per-chain step sizes (whose length must be n). f runs in float64 before the single rounding to float32.
 */
export function stepSizeTensor(
  kernel: string,
  stepSize: StepSize,
  n: number,
  f: (h: number) => number = (h) => h,
): Tensor {
  if (typeof stepSize === 'number') return tf.scalar(f(stepSize));
  checkRows(kernel, stepSize, n);
  return tf.tensor2d(
    Float32Array.from({ length: n }, (_, i) => f(stepSize[i]!)),
    [n, 1],
  );
}

/**
 * Several functions of the step size at once, as tensors that broadcast over a batch of n rows (scalars for a shared
 * step size, columns [n, 1] per chain): `f` runs once per distinct step size, in float64.
 */
export function stepSizeTensors<K extends string>(
  kernel: string,
  stepSize: StepSize,
  n: number,
  f: (h: number) => Readonly<Record<K, number>>,
): Record<K, Tensor> {
  if (typeof stepSize === 'number') {
    const values = f(stepSize);
    return Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, tf.scalar(value as number)]),
    ) as Record<K, Tensor>;
  }
  const rows = Array.from({ length: checkRows(kernel, stepSize, n) }, (_, i) => f(stepSize[i]!));
  const keys = Object.keys(rows[0] ?? {}) as K[];
  return Object.fromEntries(
    keys.map((key) => [
      key,
      tf.tensor2d(
        Float32Array.from(rows, (row) => row[key]),
        [n, 1],
      ),
    ]),
  ) as Record<K, Tensor>;
}

function checkRows(kernel: string, stepSize: ArrayLike<number>, n: number): number {
  if (stepSize.length !== n) {
    throw new ShapeError(
      `${kernel}: ${stepSize.length} per-chain step sizes for a batch of ${n} chains; give one per row`,
      { stepSizes: stepSize.length, rows: n },
    );
  }
  return n;
}
