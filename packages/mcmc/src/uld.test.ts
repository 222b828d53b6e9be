import { fc, test } from '@fast-check/vitest';
import { createRng } from '@rtk-diffusion/tensor';
import { gaussianTarget } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { disposeInfo } from './tensors.js';
import { uld, uldCoefficients } from './uld.js';

/**
 * The closed forms of the integrator written as in Cheng et al. (2018), in float64, without the series: accurate
 * when γh is not small (cancellation costs about log10(1/(γh)³) digits).
 */
function closedForm(h: number, friction: number) {
  const eta = Math.exp(-friction * h);
  return {
    vx: (1 - eta) / friction,
    gx: (h - (1 - eta) / friction) / friction,
    varianceX: (2 * friction * h - 3 + 4 * eta - eta * eta) / friction ** 2,
    covariance: (1 - eta) ** 2 / friction,
    varianceV: 1 - eta * eta,
    vv: eta,
    gv: (1 - eta) / friction,
  };
}

describe('uldCoefficients', () => {
  test.prop([fc.double({ min: 0.3, max: 20, noNaN: true }), fc.double({ min: 0.05, max: 10, noNaN: true })], {
    seed: 3,
  })('match the closed forms where those are accurate (γh ≥ 0.3)', (h, friction) => {
    const c = uldCoefficients(h, friction);
    const reference = closedForm(h, friction);
    const close = (a: number, b: number) =>
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(b)));
    fc.pre(friction * h >= 0.3);
    close(c.vx, reference.vx);
    close(c.gx, reference.gx);
    close(c.vv, reference.vv);
    close(c.gv, reference.gv);
    close(c.sx ** 2, reference.varianceX);
    close(c.cv * c.sx, reference.covariance);
    close(c.cv ** 2 + c.sv ** 2, reference.varianceV);
  });

  test('are continuous where the series hands over to the closed forms (γh = 0.5)', () => {
    for (const key of ['gx', 'sx', 'cv', 'sv'] as const) {
      const below = uldCoefficients(0.5 * (1 - 1e-12), 1)[key];
      const above = uldCoefficients(0.5, 1)[key];
      expect(Math.abs(below - above)).toBeLessThan(1e-10);
    }
  });

  test('have the small-step limits: x′ ≈ x + hv + h²g/2, Var ζ_x ≈ 2γh³/3, Var ζ_v ≈ 2γh', () => {
    const h = 1e-4;
    const friction = 3;
    const c = uldCoefficients(h, friction);
    expect(c.vx / h).toBeCloseTo(1, 3);
    expect(c.gx / ((h * h) / 2)).toBeCloseTo(1, 3);
    expect(c.sx ** 2 / ((2 * friction * h ** 3) / 3)).toBeCloseTo(1, 3);
    expect((c.cv ** 2 + c.sv ** 2) / (2 * friction * h)).toBeCloseTo(1, 3);
    expect(c.sv).toBeGreaterThan(0);
  });
});

describe('uld', () => {
  const target = gaussianTarget({
    mean: [1, -1],
    covariance: [
      [1, 0.3],
      [0.3, 0.5],
    ],
  });

  test('init draws v0 from rng.fork("velocity"); a step is the integrator with noise from two forks', () => {
    const x = target.sample(5, createRng(1));
    const kernel = uld({ stepSize: 0.3, friction: 1.5 });
    const { state, evaluations } = kernel.init(x, target, createRng(2));
    expect(evaluations).toEqual({ grad: 1, logDensity: 0 });
    expect(Array.from(state.v.dataSync())).toEqual(
      Array.from(createRng(2).fork('velocity').normalArray(5, 2)),
    );
    const rng = createRng(3);
    const { state: next, info } = kernel.step(state, target, rng);
    const c = uldCoefficients(0.3, 1.5);
    const [xi1, xi2] = [
      rng.fork('position-noise').normalArray(5, 2),
      rng.fork('velocity-noise').normalArray(5, 2),
    ];
    const [x0, v0, g0] = [state.x.arraySync(), state.v.arraySync(), state.grad.arraySync()];
    const [x1, v1] = [next.x.arraySync(), next.v.arraySync()];
    let kinetic = 0;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 2; j++) {
        const [xi, vi, gi, a, b] = [x0[i]![j]!, v0[i]![j]!, g0[i]![j]!, xi1[2 * i + j]!, xi2[2 * i + j]!];
        expect(x1[i]![j]).toBeCloseTo(xi + c.vx * vi + c.gx * gi + c.sx * a, 5);
        const v = c.vv * vi + c.gv * gi + c.cv * a + c.sv * b;
        expect(v1[i]![j]).toBeCloseTo(v, 5);
        kinetic += (v * v) / 2 / 5;
      }
    }
    expect(info.kineticEnergy).toBeCloseTo(kinetic, 4);
    expect(info.divergences).toBe(0);
    kernel.disposeState(state);
    kernel.disposeState(next);
    disposeInfo(info);
    x.dispose();
  });

  test('validation: friction and step size must be positive', () => {
    expect(() => uld({ stepSize: 0.1, friction: 0 })).toThrow(/friction must be a positive finite number/);
    expect(() => uld({ stepSize: 0.1, friction: -2 })).toThrow(/friction/);
    expect(() => uld({ stepSize: 0.1 } as never)).toThrow(/friction/);
    expect(() => uld({ stepSize: 0, friction: 1 })).toThrow(/stepSize/);
  });
});
