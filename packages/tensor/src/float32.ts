/**
 * Neighbouring float32 numbers, for draws that must stay strictly inside an interval after rounding to float32.
 */

/**
 * The largest float32 number strictly below x (x a number other than NaN and −∞): `Math.fround(x)` when it rounds
 * down, else the float32 one step below it (−2^−149 below 0, the largest finite float32 below +∞).
 */
export function float32Below(x: number): number {
  const rounded = Math.fround(x);
  if (rounded < x) return rounded;
  if (rounded === 0) return -(2 ** -149);
  const value = new Float32Array([rounded]);
  const bits = new Int32Array(value.buffer);
  // IEEE 754 float32 bits of a given sign are ordered like the magnitudes: one step of the bits is one float32 step.
  bits[0] = bits[0]! + (rounded > 0 ? -1 : 1);
  return value[0]!;
}

/** The smallest float32 number strictly above x (x a number other than NaN and +∞). */
export function float32Above(x: number): number {
  return -float32Below(-x);
}
