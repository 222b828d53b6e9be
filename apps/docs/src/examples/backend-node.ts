import { initBackend } from '@rtk-diffusion/samplers';

// Once, before computing. In Node: wasm with SIMD, unless RTK_BACKEND or
// the `prefer` option says otherwise.
export const backend = await initBackend();
console.log(backend); // { name: 'wasm', simd: true, threads: 1, … }
