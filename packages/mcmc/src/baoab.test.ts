import { createRng, tf } from '@rtk-diffusion/tensor';
import { gaussianTarget } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { baoab } from './baoab.js';
import { disposeInfo } from './tensors.js';

const target = gaussianTarget({
  mean: [1, -1],
  covariance: [
    [1, 0.3],
    [0.3, 0.5],
  ],
});

describe('baoab', () => {
  test('a step is B, A, O, A, B with the O noise from rng.fork("velocity-noise")', () => {
    const x = target.sample(4, createRng(1));
    const [h, friction] = [0.4, 1.2];
    const kernel = baoab({ stepSize: h, friction });
    const { state } = kernel.init(x, target, createRng(2));
    const rng = createRng(3);
    const { state: next, info } = kernel.step(state, target, rng);
    const xi = rng.fork('velocity-noise').normalArray(4, 2);
    const eta = Math.exp(-friction * h);
    const [x0, v0, g0] = [state.x.arraySync(), state.v.arraySync(), state.grad.arraySync()];
    const xRef: number[][] = [];
    const vO: number[][] = [];
    for (let i = 0; i < 4; i++) {
      const vB = v0[i]!.map((v, j) => v + (h / 2) * g0[i]![j]!);
      const xA = x0[i]!.map((xv, j) => xv + (h / 2) * vB[j]!);
      vO.push(vB.map((v, j) => eta * v + Math.sqrt(1 - eta * eta) * xi[2 * i + j]!));
      xRef.push(xA.map((xv, j) => xv + (h / 2) * vO[i]![j]!));
    }
    const gRef = tf.tidy(() => target.grad(tf.tensor2d(xRef)).arraySync());
    const [x1, v1] = [next.x.arraySync(), next.v.arraySync()];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 2; j++) {
        expect(x1[i]![j]).toBeCloseTo(xRef[i]![j]!, 5);
        expect(v1[i]![j]).toBeCloseTo(vO[i]![j]! + (h / 2) * gRef[i]![j]!, 5);
      }
    }
    expect(info.evaluations).toEqual({ grad: 1, logDensity: 0 });
    kernel.disposeState(state);
    kernel.disposeState(next);
    disposeInfo(info);
    x.dispose();
  });

  test('validation: friction and step size must be positive', () => {
    expect(() => baoab({ stepSize: 0.1, friction: 0 })).toThrow(/friction/);
    expect(() => baoab({ stepSize: -0.1, friction: 1 })).toThrow(/stepSize/);
  });
});
