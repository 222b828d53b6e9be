/**
 * The package's WebAssembly SIMD module (assembly/index.ts, compiled by AssemblyScript and embedded as base64 in
 * host-wasm.generated.ts): loading it, the switch that forces the JavaScript engine, and regions of its memory.
 */
import { HOST_WASM_BASE64 } from './host-wasm.generated.js';

/** The module's exports (assembly/normals.ts and assembly/kernels.ts). */
export interface HostModule {
  readonly memory: WebAssembly.Memory;
  normals(k0: number, k1: number, draw: number, row0: number, rows: number, d: number, out: number): void;
  uniforms(
    k0: number,
    k1: number,
    draw: number,
    row0: number,
    rows: number,
    d: number,
    low: number,
    width: number,
    bottom: number,
    top: number,
    out: number,
  ): void;
  uniformOfWord(w: number, low: number, width: number, bottom: number, top: number): number;
  noisyUpdate(
    k0: number,
    k1: number,
    draw: number,
    row0: number,
    rows: number,
    d: number,
    x: number,
    s: number,
    b: number,
    mode: number,
    q: number,
    sigma: number,
    out: number,
  ): number;
  countNonFinite(values: number, count: number): number;
  selectRows(mask: number, a: number, b: number, out: number, rows: number, d: number): number;
  residualRowSums(
    a: number,
    b: number,
    c: number,
    rows: number,
    d: number,
    beta: number,
    gamma: number,
    delta: number,
    wide: number,
    scratch: number,
    out: number,
  ): void;
  addScaledResidual(
    s: number,
    a: number,
    b: number,
    count: number,
    beta: number,
    gamma: number,
    out: number,
  ): void;
}

const PAGE_BYTES = 65_536;

/**
 * A lazy loader of an embedded WebAssembly module (base64, no imports but `env.abort`): the first call compiles and
 * instantiates it synchronously; where that is refused (some browsers, for modules over 4 KB on the main thread) it
 * is done in the background and the loader returns null until it is ready, and null for good where WebAssembly (or
 * its SIMD) is missing. Callers fall back to another path meanwhile. Shared by this package's module and the score
 * kernels of `@rtk-diffusion/scores`.
 */
export function lazyWasmModule<T>(base64: string, what: string): () => T | null {
  let loaded: T | null | undefined;
  return () => {
    if (loaded !== undefined) return loaded;
    loaded = null;
    if (typeof WebAssembly === 'undefined' || typeof atob === 'undefined') return null;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const imports = {
      env: {
        abort: () => {
          throw new Error(`${what}: the WebAssembly module aborted`);
        },
      },
    };
    try {
      loaded = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as unknown as T;
    } catch {
      WebAssembly.instantiate(bytes, imports)
        .then(({ instance }) => {
          loaded = instance.exports as unknown as T;
        })
        .catch(() => undefined);
    }
    return loaded;
  };
}

const loadWasm = lazyWasmModule<HostModule>(HOST_WASM_BASE64, 'tensor');
let preferJs = false;

/** The module, or null where JavaScript computes instead (no WebAssembly SIMD, or forced by {@link setHostEngine}). */
export function hostModule(): HostModule | null {
  return preferJs ? null : loadWasm();
}

/**
 * Forces the JavaScript engine (`'js'`) or restores the default (`'auto'`). For tests and benchmarks: both engines
 * give the same numbers.
 */
export function setHostEngine(engine: 'js' | 'auto'): void {
  preferJs = engine === 'js';
}

/** Byte offsets of float32 regions of the module's memory. */
export type Regions<Name extends string> = Record<Name, number>;

/**
 * Places float32 regions of the given sizes (in floats) in the module's memory, each 16-byte aligned, from the second
 * page on (the first stays the module's own: AssemblyScript places static data there; this module has none today),
 * and grows the memory as needed. Views of the memory made before this call may be detached by the growth.
 */
export function regions<Name extends string>(
  module: HostModule,
  sizes: Readonly<Record<Name, number>>,
): Regions<Name> {
  const at = {} as Record<Name, number>;
  let offset = PAGE_BYTES;
  for (const name of Object.keys(sizes) as Name[]) {
    at[name] = offset;
    offset += Math.ceil(sizes[name] / 4) * 16;
  }
  const have = module.memory.buffer.byteLength;
  if (have < offset) module.memory.grow(Math.ceil((offset - have) / PAGE_BYTES));
  return at;
}

/** A float32 view of `size` numbers of the module's memory at byte offset `at`. */
export function floats(module: HostModule, at: number, size: number): Float32Array {
  return new Float32Array(module.memory.buffer, at, size);
}

/** Rows per kernel call so that one [rows, d] region holds about `chunkFloats` numbers (at least one row). */
export function rowsPerChunk(n: number, d: number, chunkFloats: number): number {
  return Math.max(1, Math.min(n, Math.floor(chunkFloats / d)));
}
