import { describe, expect, test } from 'vitest';
import { hashLabel, philox4x32 } from './philox.js';

function hex(words: Uint32Array): string[] {
  return [...words].map((w) => w.toString(16).padStart(8, '0'));
}

describe('philox4x32-10', () => {
  // Known-answer vectors published with the reference implementation (Random123, kat_vectors, philox4x32 10).
  test.each([
    {
      counter: [0, 0, 0, 0],
      key: [0, 0],
      expected: ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8'],
    },
    {
      counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      key: [0xffffffff, 0xffffffff],
      expected: ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd'],
    },
    {
      counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
      key: [0xa4093822, 0x299f31d0],
      expected: ['d16cfe09', '94fdcceb', '5001e420', '24126ea1'],
    },
  ])('matches the reference output for counter $counter', ({ counter, key, expected }) => {
    const out = new Uint32Array(4);
    philox4x32(counter[0]!, counter[1]!, counter[2]!, counter[3]!, key[0]!, key[1]!, out);
    expect(hex(out)).toEqual(expected);
  });

  test('writes at an offset', () => {
    const out = new Uint32Array(8);
    philox4x32(0, 0, 0, 0, 0, 0, out, 4);
    expect(hex(out.subarray(4))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    expect([...out.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
  });
});

describe('hashLabel', () => {
  test('is FNV-1a 32-bit', () => {
    // FNV-1a reference values: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(hashLabel('')).toBe(0x811c9dc5);
    expect(hashLabel('a')).toBe(0xe40c292c);
    expect(hashLabel('foobar')).toBe(0xbf9cf968);
  });
});
