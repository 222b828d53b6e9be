/**
 * Entry of the tensor package's WebAssembly module (`node scripts/build-wasm.mjs` compiles it into
 * src/host-wasm.generated.ts): the draws of assembly/normals.ts and the host kernels of assembly/kernels.ts.
 */
export { normals, uniformOfWord, uniforms } from './normals';
export { addScaledResidual, countNonFinite, noisyUpdate, residualRowSums, selectRows } from './kernels';
