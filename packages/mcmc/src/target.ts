/**
 * Calling a target safely: checks of batch shapes and of what the target returns, with messages that say what to do.
 */
import {
  assertBatch,
  ShapeError,
  type Tensor1D,
  type Tensor2D,
  ValidationError,
} from '@rtk-diffusion/tensor';
import type { Target } from './types.js';

/** Checks that `x` is a float32 batch [n, d] with the target's dimension (when it declares one). */
export function checkPosition(kernel: string, x: Tensor2D, target: Target, name = 'x'): Tensor2D {
  checkTarget(kernel, target);
  if (target.dim !== undefined && !(Number.isInteger(target.dim) && target.dim > 0)) {
    throw new ValidationError(`${kernel}: target.dim must be a positive integer, got ${target.dim}`, {
      dim: target.dim,
    });
  }
  return assertBatch(x, target.dim, `${kernel}: ${name}`);
}

/** Checks that `target` has a `grad` function. */
export function checkTarget(kernel: string, target: Target): void {
  if (typeof target !== 'object' || target === null || typeof target.grad !== 'function') {
    throw new ValidationError(`${kernel}: the target must be an object with a grad(x) function`);
  }
}

/** Throws a clear error when a kernel that needs the exact log-density gets a target without one. */
export function requireLogDensity(kernel: string, target: Target, alternative: string): void {
  if (typeof target.logDensity !== 'function') {
    throw new ValidationError(
      `${kernel} needs target.logDensity(x) for its accept/reject step, but this target has only grad(x). ` +
        `Use ${alternative} instead, which needs only the gradient.`,
      { kernel },
    );
  }
}

/** ∇ log π(x), checked to be [n, d] like x. */
export function gradAt(target: Target, x: Tensor2D): Tensor2D {
  const grad = target.grad(x);
  if (!sameShape(grad?.shape, x.shape)) {
    throw new ShapeError(
      `target.grad(x) must return a tensor of the shape of x, [${x.shape.join(', ')}], got ${shapeOf(grad)}`,
      { expected: x.shape },
    );
  }
  return grad;
}

/** log π(x), checked to be [n]. The caller has checked that the target has `logDensity`. */
export function logDensityAt(target: Target, x: Tensor2D): Tensor1D {
  const logDensity = target.logDensity!(x);
  if (!sameShape(logDensity?.shape, [x.shape[0]])) {
    throw new ShapeError(
      `target.logDensity(x) must return a tensor of shape [n] = [${x.shape[0]}], got ${shapeOf(logDensity)}`,
      { expected: [x.shape[0]] },
    );
  }
  return logDensity;
}

function sameShape(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((size, i) => size === b[i]);
}

function shapeOf(value: { shape?: readonly number[] } | undefined): string {
  return value?.shape === undefined ? String(value) : `shape [${value.shape.join(', ')}]`;
}
