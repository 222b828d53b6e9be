/**
 * Test support (not built, not shipped): what the bit-for-bit tests of the host kernels share. `bits` and
 * `canonicalBits` read a tensor's float32 bit patterns; `describeOnBackends` runs a suite once on the wasm and once
 * on the cpu backend, and puts the default (wasm, auto RNG engine) back after it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { initBackend } from '../backend.js';
import { setRngEngine } from '../normals.js';

/** The backends every host kernel runs on. */
export const HOST_BACKENDS = ['wasm', 'cpu'] as const;

/** The float32 bit patterns of `t`, NaN payloads included (for kernels that only copy values). */
export function bits(t: tf.Tensor): number[] {
  return Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
}

/**
 * The float32 bit patterns of `t`, every NaN as the one canonical NaN: IEEE 754 leaves the sign and payload of a NaN
 * that an operation produces to the machine, and JavaScript arithmetic (the cpu backend) and WebAssembly differ there.
 */
export function canonicalBits(t: tf.Tensor): number[] {
  const values = (t.dataSync() as Float32Array).slice();
  return Array.from(new Uint32Array(values.buffer), (word, i) =>
    Number.isNaN(values[i]) ? 0x7fc00000 : word,
  );
}

/** `describe` once per host backend (`on the wasm backend`, `on the cpu backend`), restoring the defaults after. */
export function describeOnBackends(body: (backend: (typeof HOST_BACKENDS)[number]) => void): void {
  describe.each(HOST_BACKENDS)('on the %s backend', (backend) => {
    beforeAll(async () => {
      await initBackend({ prefer: backend });
    });
    afterAll(async () => {
      setRngEngine('auto');
      await initBackend({ prefer: 'wasm' });
    });
    body(backend);
  });
}
