/**
 * Choosing the TensorFlow.js backend. Nothing happens on import: call {@link initBackend} once before computing.
 *
 * - `wasm` (default): WebAssembly with SIMD; in Node the `.wasm` files are resolved from the installed
 *   `@tensorflow/tfjs-backend-wasm`; in a bundled browser app pass `wasmPaths` (see the package README).
 *   If it cannot start, the pure-JS `cpu` backend is used instead, with a warning.
 * - `cpu`: pure JavaScript, always available, slow.
 * - `tensorflow`: native TensorFlow through `@tensorflow/tfjs-node-gpu` (CUDA), else `@tensorflow/tfjs-node`, loaded
 *   by dynamic import. Neither is a dependency: install one yourself (same version as `@tensorflow/tfjs-core`).
 * - `webgl` / `webgpu`: browser backends; import `@tensorflow/tfjs-backend-webgl` / `-webgpu` in your app first.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';

/** Backends that {@link initBackend} can select. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | 'webgl' | 'webgpu';

/** The backend names, in the order the docs list them. */
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu'];

/** The version of `@tensorflow/tfjs-core` (and of every tfjs package the repo uses). */
export const TFJS_VERSION: string = tf.version_core;

/** Options of {@link initBackend}. */
export interface BackendOptions {
  /** The backend to use; default: the `RTK_BACKEND` environment variable, else `wasm`. */
  readonly prefer?: BackendName;
  /**
   * Where the wasm backend finds its `.wasm` files: a directory prefix (ending in `/`) or a map from file name to URL.
   * Needed in bundled browser apps; in Node the files are found in the installed package.
   */
  readonly wasmPaths?: string | Readonly<Record<string, string>>;
  /** Threads of the wasm backend (only where the threaded build can run). */
  readonly threads?: number;
  /** Receives warnings (the cpu fallback); default `console.warn`. */
  readonly onWarning?: (message: string) => void;
}

/** What {@link initBackend} chose. */
export interface BackendInfo {
  /** The active backend. */
  readonly name: BackendName;
  /** The backend that was asked for (option, `RTK_BACKEND`, or the default). */
  readonly requested: BackendName;
  /** Why the active backend differs from the requested one, if it does. */
  readonly fallbackReason?: string;
  /** The npm package that provides the backend. */
  readonly package: string;
  /** SIMD instructions in use (wasm: detected; tensorflow: native code; cpu/webgl/webgpu: false). */
  readonly simd: boolean;
  /** Compute threads the backend uses, where known. */
  readonly threads: number | undefined;
}

/**
 * Selects and initialises a TensorFlow.js backend and returns what it chose.
 *
 * @throws {@link BackendError} when `tensorflow`, `webgl` or `webgpu` is asked for and cannot be loaded, or when
 * `RTK_BACKEND` names no backend.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const requested = options.prefer ?? backendFromEnvironment() ?? 'wasm';
  if (!BACKEND_NAMES.includes(requested)) {
    throw new BackendError(
      `Unknown backend '${String(requested)}'; choose one of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  switch (requested) {
    case 'wasm': {
      try {
        return await initWasm(options);
      } catch (error) {
        const reason = `the wasm backend could not start (${messageOf(error)})`;
        (options.onWarning ?? console.warn)(
          `rtk-diffusion: ${reason}; falling back to the slower cpu backend.`,
        );
        return { ...(await initCpu()), requested, fallbackReason: reason };
      }
    }
    case 'cpu':
      return initCpu();
    case 'tensorflow':
      return initTensorflow();
    case 'webgl':
    case 'webgpu':
      return initBrowserBackend(requested);
  }
}

function backendFromEnvironment(): BackendName | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env?.RTK_BACKEND;
  if (value === undefined || value === '') return undefined;
  if (!(BACKEND_NAMES as readonly string[]).includes(value)) {
    throw new BackendError(
      `RTK_BACKEND='${value}' names no backend; choose one of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  return value as BackendName;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** Imports a module whose name bundlers must not try to resolve at build time. */
function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError(`tf.setBackend('${name}') reported failure`);
  await tf.ready();
}

async function initWasm(options: BackendOptions): Promise<BackendInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (tf.findBackend('wasm') === undefined || tf.findBackend('wasm') === null) {
    const paths = options.wasmPaths ?? (isNode ? await nodeWasmDirectory() : undefined);
    if (paths !== undefined) wasm.setWasmPaths(paths as string);
    if (options.threads !== undefined) wasm.setThreadsCount(options.threads);
  }
  await activate('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return {
    name: 'wasm',
    requested: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    simd: simd === true,
    threads: wasm.getThreadsCount(),
  };
}

/** The directory of the installed `@tensorflow/tfjs-backend-wasm` `.wasm` files, with a trailing separator. */
async function nodeWasmDirectory(): Promise<string> {
  const { createRequire } = (await importOptional('node:module')) as typeof import('node:module');
  const { dirname, sep } = (await importOptional('node:path')) as typeof import('node:path');
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + sep;
}

/**
 * In Node, a package the user installed in their project (the working directory) is found even when this package
 * lives in a store that does not see it (pnpm); elsewhere the bare name is imported.
 */
async function resolveForImport(pkg: string): Promise<string> {
  if (!isNode) return pkg;
  const { createRequire } = (await importOptional('node:module')) as typeof import('node:module');
  const { pathToFileURL } = (await importOptional('node:url')) as typeof import('node:url');
  for (const base of [`${process.cwd()}/package.json`, import.meta.url]) {
    try {
      return pathToFileURL(createRequire(base).resolve(pkg)).href;
    } catch {
      // not resolvable from this base: try the next
    }
  }
  return pkg;
}

async function initCpu(): Promise<BackendInfo> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  return { name: 'cpu', requested: 'cpu', package: '@tensorflow/tfjs-backend-cpu', simd: false, threads: 1 };
}

async function initTensorflow(): Promise<BackendInfo> {
  const failures: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await importOptional(await resolveForImport(pkg));
    } catch (error) {
      failures.push(`${pkg}: ${isNotFound(error) ? 'not installed' : messageOf(error)}`);
      continue;
    }
    if (tf.findBackendFactory('tensorflow') === null || tf.findBackendFactory('tensorflow') === undefined) {
      failures.push(`${pkg}: loaded, but registered no 'tensorflow' backend with this @tensorflow/tfjs-core`);
      continue;
    }
    await activate('tensorflow');
    return { name: 'tensorflow', requested: 'tensorflow', package: pkg, simd: true, threads: undefined };
  }
  throw new BackendError(
    `The 'tensorflow' backend needs @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node (CPU), version ${TFJS_VERSION}. ` +
      `Install one, e.g. \`pnpm add @tensorflow/tfjs-node@${TFJS_VERSION}\`, or use the default wasm backend. ` +
      `(${failures.join('; ')})`,
    { details: { failures } },
  );
}

async function initBrowserBackend(name: 'webgl' | 'webgpu'): Promise<BackendInfo> {
  const pkg = `@tensorflow/tfjs-backend-${name}`;
  if (tf.findBackendFactory(name) === null || tf.findBackendFactory(name) === undefined) {
    try {
      await importOptional(pkg);
    } catch (error) {
      throw new BackendError(
        `The '${name}' backend needs ${pkg}@${TFJS_VERSION}: install it and import it in your app before initBackend().`,
        { cause: error },
      );
    }
  }
  try {
    await activate(name);
  } catch (error) {
    throw new BackendError(`The '${name}' backend is installed but could not start: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return { name, requested: name, package: pkg, simd: false, threads: undefined };
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
