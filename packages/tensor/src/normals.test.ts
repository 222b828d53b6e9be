import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect } from 'vitest';
import { compileNormalsWasm, generatedModule } from '../scripts/build-wasm.mjs';
import { angle, radius, rngEngine, setRngEngine } from './normals.js';
import { NORMALS_WASM_BASE64 } from './normals-wasm.generated.js';
import { philox4x32 } from './philox.js';
import { createRng } from './rng.js';

const seed = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

/** The same draws on the JavaScript engine. */
function onJs<T>(fn: () => T): T {
  setRngEngine('js');
  try {
    return fn();
  } finally {
    setRngEngine('auto');
  }
}

afterEach(() => setRngEngine('auto'));

/** The generator before the fast engines: Box–Muller with Math.log, Math.cos and Math.sin in float64. */
function mathNormals(s: number, n: number, d: number): Float32Array {
  const key = new Uint32Array(4);
  philox4x32(0, 0, 0, 0x666f726b, s % 2 ** 32, Math.floor(s / 2 ** 32), key);
  const out = new Float32Array(n * d);
  const words = new Uint32Array(4);
  for (let i = 0; i < n; i++) {
    for (let block = 0; block < Math.ceil(d / 4); block++) {
      philox4x32(block, i, 0, 0, key[0]!, key[1]!, words);
      const r0 = Math.sqrt(-2 * Math.log((words[0]! + 0.5) * 2 ** -32));
      const r1 = Math.sqrt(-2 * Math.log((words[2]! + 0.5) * 2 ** -32));
      const t0 = 2 * Math.PI * words[1]! * 2 ** -32;
      const t1 = 2 * Math.PI * words[3]! * 2 ** -32;
      const values = [r0 * Math.cos(t0), r0 * Math.sin(t0), r1 * Math.cos(t1), r1 * Math.sin(t1)];
      for (let k = 0; k < 4 && block * 4 + k < d; k++) out[i * d + block * 4 + k] = values[k]!;
    }
  }
  return out;
}

/** Distance in float32 units in the last place (same sign assumed: both are the same normal). */
function ulps(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0]! - bits[1]!);
}

describe('engines', () => {
  test('Node uses the WebAssembly SIMD engine; setRngEngine forces JavaScript', () => {
    expect(rngEngine()).toBe('wasm-simd');
    expect(onJs(rngEngine)).toBe('js');
  });

  test.prop([
    seed,
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 1, max: 37 }),
    fc.integer({ min: 0, max: 2 ** 32 - 41 }),
    fc.integer({ min: 0, max: 3 }),
  ])(
    'WebAssembly and JavaScript give the same normals and uniforms, bit for bit',
    (s, n, d, rowOffset, skip) => {
      const draw = (rng: ReturnType<typeof createRng>) => {
        for (let k = 0; k < skip; k++) rng.uniformArray(1, 1);
        return [
          rng.normalArray(n, d, { rowOffset }),
          rng.uniformArray(n, d, { rowOffset, low: -2, high: 3 }),
        ];
      };
      const wasm = draw(createRng(s));
      const js = onJs(() => draw(createRng(s)));
      expect(wasm).toEqual(js);
    },
  );

  test('draws larger than one WebAssembly chunk (2^18 numbers), and rows wider than one, match too', () => {
    for (const [n, d] of [
      [70_001, 4],
      [2, 300_001],
    ] as const) {
      const wasm = createRng(77).normalArray(n, d, { rowOffset: 3 });
      const js = onJs(() => createRng(77).normalArray(n, d, { rowOffset: 3 }));
      expect(wasm.length).toBe(js.length);
      let same = true;
      for (let i = 0; i < wasm.length; i++) same &&= Object.is(wasm[i], js[i]);
      expect(same).toBe(true);
    }
  });

  test('the numbers are those of Box–Muller with Math.log/cos/sin (within one float32 ulp, almost all exact)', () => {
    // The polynomials are accurate to ≈ 1e−16 (relative), the float32 rounding step is 2^−24 ≈ 6e−8, so a rounding
    // flip has probability ≈ 1e−8 per number: of 10^5 numbers none is expected, 10 is a generous bound.
    const n = 20_000;
    const d = 5;
    const fast = createRng(2024).normalArray(n, d);
    const reference = mathNormals(2024, n, d);
    let exact = 0;
    let worst = 0;
    for (let i = 0; i < fast.length; i++) {
      if (fast[i] === reference[i]) exact++;
      worst = Math.max(worst, ulps(fast[i]!, reference[i]!));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(exact).toBeGreaterThanOrEqual(fast.length - 10);
  });
});

describe('the transform at extreme words', () => {
  test('radius equals sqrt(−2 log u) to 1e−15 relative, from w = 0 to 2^32 − 1', () => {
    const words = [0, 1, 2, 3, 1000, 2 ** 31 - 1, 2 ** 31, 3_037_000_499, 2 ** 32 - 2, 2 ** 32 - 1];
    for (let k = 0; k < 64; k++) words.push(Math.floor(2 ** (k / 2)), (2 ** 32 - 1 - k * 977) >>> 0);
    for (const w of words) {
      const expected = Math.sqrt(-2 * Math.log((w + 0.5) * 2 ** -32));
      expect(Math.abs(radius(w) - expected)).toBeLessThanOrEqual(2e-15 * expected);
    }
  });

  test('cos and sin equal Math.cos/Math.sin to 1e−15 around every octant boundary', () => {
    const out = new Float64Array(2);
    for (let octant = 0; octant <= 8; octant++) {
      for (const offset of [-(2 ** 28), -3, -1, 0, 1, 2, 12_345, 2 ** 28]) {
        const w = (octant * 2 ** 29 + offset) >>> 0;
        angle(w, out);
        const theta = 2 * Math.PI * w * 2 ** -32;
        expect(Math.abs(out[0]! - Math.cos(theta))).toBeLessThan(1e-15);
        expect(Math.abs(out[1]! - Math.sin(theta))).toBeLessThan(1e-15);
      }
    }
  });
});

describe('the committed WebAssembly', () => {
  test('is the output of scripts/build-wasm.mjs for assembly/normals.ts', { timeout: 60_000 }, async () => {
    const bytes = await compileNormalsWasm();
    expect(generatedModule(bytes)).toContain(`'${NORMALS_WASM_BASE64}'`);
  });
});
