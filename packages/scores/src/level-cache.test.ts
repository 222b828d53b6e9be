import { describe, expect, test } from 'vitest';
import { LevelCache } from './level-cache.js';

describe('LevelCache', () => {
  test('computes once per level, evicts the least recently used, respects the byte budget', () => {
    let computed = 0;
    const make = (a: number) => {
      computed++;
      return a * 10;
    };
    const cache = new LevelCache<number>(2, 8, 1024);
    expect(cache.capacity).toBe(2);
    expect(cache.get(0.1, make)).toBe(1);
    expect(cache.get(0.2, make)).toBe(2);
    expect(cache.get(0.1, make)).toBe(1); // hit: 0.1 becomes the most recent
    expect(computed).toBe(2);
    cache.get(0.3, make); // evicts 0.2
    expect(cache.size).toBe(2);
    cache.get(0.1, make);
    expect(computed).toBe(3);
    cache.get(0.2, make);
    expect(computed).toBe(4);
    expect(new LevelCache<number>(16, 100, 250).capacity).toBe(2);
    expect(new LevelCache<number>(16, 1000, 250).capacity).toBe(1); // always at least one level
  });
});
