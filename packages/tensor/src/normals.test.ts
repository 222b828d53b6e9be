import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect } from 'vitest';
import { compileHostWasm, generatedModule } from '../scripts/build-wasm.mjs';
import { float32Above, float32Below } from './float32.js';
import { HOST_WASM_BASE64 } from './host-wasm.generated.js';
import { rngEngine, setRngEngine, uniformOfWord } from './normals.js';
import { angle, radius } from './normals-js.js';
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

/** The key of the root stream of seed s (as createRng derives it). */
function rootKey(s: number): Uint32Array {
  const key = new Uint32Array(4);
  philox4x32(0, 0, 0, 0x666f726b, s % 2 ** 32, Math.floor(s / 2 ** 32), key);
  return key;
}

/** The generator before the fast engines: Box–Muller with Math.log, Math.cos and Math.sin in float64. */
function mathNormals(s: number, n: number, d: number, row0 = 0): Float32Array {
  const key = rootKey(s);
  const out = new Float32Array(n * d);
  const words = new Uint32Array(4);
  for (let i = 0; i < n; i++) {
    for (let block = 0; block < Math.ceil(d / 4); block++) {
      philox4x32(block, row0 + i, 0, 0, key[0]!, key[1]!, words);
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

describe('uniforms at the top words (both engines)', () => {
  const engines = [['wasm', <T>(fn: () => T) => fn()] as const, ['js', onJs] as const];
  const unit = { low: 0, width: 1, bottom: float32Above(0), top: float32Below(1) };

  test.each(engines)(
    'word by word on %s: the top 24-bit word k = 2^24 − 1 gives 1 − 2^−24, not 1',
    (_, on) => {
      // (k + ½) 2^−24 rounds to float32 with ties to even: k = 2^24 − 1 would tie to 1, k = 2^24 − 2 and 2^24 − 3 to
      // 1 − 2^−23, k = 2^24 − 4 to 1 − 2^−22; the lowest word gives 2^−25. The low 8 bits of w do not count.
      const expected: [number, number][] = [
        [0xffffffff, 1 - 2 ** -24],
        [0xffffff00, 1 - 2 ** -24],
        [0xfffffeff, 1 - 2 ** -23],
        [0xfffffd00, 1 - 2 ** -23],
        [0xfffffcff, 1 - 2 ** -22],
        [0x000000ff, 2 ** -25],
        [0, 2 ** -25],
      ];
      for (const [w, value] of expected) expect(on(() => uniformOfWord(w, unit))).toBe(value);
      // Custom intervals: float32 rounding of low + width u lands on high = 1.5 (spacing 2^−23 there) for the top
      // word, and on low = 1000 (spacing 2^−14 there) for the lowest word; the clamp keeps both strictly inside.
      const ends = (low: number, high: number, w: number) =>
        on(() =>
          uniformOfWord(w, { low, width: high - low, bottom: float32Above(low), top: float32Below(high) }),
        );
      expect(ends(0.5, 1.5, 0xffffffff)).toBe(1.5 - 2 ** -23);
      expect(ends(1000, 1000.001, 0)).toBe(1000 + 2 ** -14);
    },
  );

  // Coordinates (row, column) of draw 0 of createRng(1) whose Philox word is at or near 2^32 − 1, found by a scan of
  // 2^32 words; columns 0 and 2 are Box–Muller radius words, 1 and 3 angle words.
  const topWords = [
    [142_259_745, 0, 0xffffffff],
    [163_172_416, 2, 0xffffffff],
    [516_998_090, 3, 0xffffffff],
    [234_836_613, 0, 0xfffffffe],
    [270_753_247, 2, 0xfffffffd],
    [8_550_204, 3, 0xfffffffa],
    [4_223_655, 1, 0xffffff9a],
  ] as const;

  test('the coordinates hold those words', () => {
    const key = rootKey(1);
    const words = new Uint32Array(4);
    for (const [row, column, word] of topWords) {
      philox4x32(0, row, 0, 0, key[0]!, key[1]!, words);
      expect(words[column]).toBe(word);
    }
  });

  test.each(engines)(
    'draws at those words on %s: uniforms below 1 and below high, normals unchanged',
    (_, on) => {
      for (const [row, column] of topWords) {
        const at = { rowOffset: row };
        expect(on(() => createRng(1).uniformArray(1, 4, at))[column]).toBe(1 - 2 ** -24);
        expect(on(() => createRng(1).uniformArray(1, 4, { ...at, low: 0.5, high: 1.5 }))[column]).toBe(
          1.5 - 2 ** -23,
        );
        // Normals use u = (w + ½) 2^−32 in float64, never rounded to float32 before the log: u < 1 at every word,
        // so the radius is tiny but positive, and the numbers are Box–Muller's with Math.* (within one float32 ulp).
        const normals = on(() => createRng(1).normalArray(1, 4, at));
        const reference = mathNormals(1, 1, 4, row);
        for (let k = 0; k < 4; k++) expect(ulps(normals[k]!, reference[k]!)).toBeLessThanOrEqual(1);
        if (column % 2 === 0) expect(Math.abs(normals[column]!)).toBeGreaterThan(0);
      }
    },
  );

  test('2^25 uniforms of createRng(1) stay below 1 (the four top words among them gave exactly 1)', () => {
    const rows = 2 ** 21;
    let top = 0;
    let atTop = 0;
    for (let part = 0; part < 4; part++) {
      const values = createRng(1).uniformArray(rows, 4, { rowOffset: part * rows });
      for (const value of values) {
        top = Math.max(top, value);
        if (value === 1 - 2 ** -24) atTop++;
      }
    }
    expect(top).toBe(1 - 2 ** -24);
    expect(atTop).toBe(4);
  });
});

describe('the committed WebAssembly', () => {
  test('is the output of scripts/build-wasm.mjs for assembly/index.ts', { timeout: 60_000 }, async () => {
    const bytes = await compileHostWasm();
    expect(generatedModule(bytes)).toContain(`'${HOST_WASM_BASE64}'`);
  });
});
