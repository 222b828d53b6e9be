/**
 * Starting TensorFlow.js in a browser bundle (Vite): the wasm backend with
 * its `.wasm` files imported as URLs, or webgl. The playground's Web Worker
 * starts its backend with these functions (so the browser test runs them);
 * the guide's "Tensor backends" page shows this file.
 */
import { type BackendInfo, initBackend } from '@rtk-diffusion/tensor';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The bundled `.wasm` files, by the names the wasm backend asks for. */
export const WASM_PATHS: Readonly<Record<string, string>> = {
  'tfjs-backend-wasm.wasm': wasm,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};

/**
 * wasm (SIMD where the browser has it; the threaded build only on a
 * cross-origin-isolated page), or the pure JavaScript cpu backend.
 */
export function startWasm(
  prefer: 'wasm' | 'cpu' = 'wasm',
): Promise<BackendInfo> {
  return initBackend({
    prefer,
    wasmPaths: WASM_PATHS,
    onWarning: (message) => console.warn(message),
  });
}

/**
 * webgl: import its package first (that registers the backend), then ask
 * for it. In a Web Worker, webgl needs OffscreenCanvas.
 */
export async function startWebgl(): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-webgl');
  return initBackend({ prefer: 'webgl' });
}
