/**
 * The backend of a worker lane: every lane of a run must compute on the backend of the main thread, so a worker starts
 * exactly that backend and refuses a fallback (a worker on cpu beside a main thread on wasm could give other bytes
 * for its rows, silently).
 */
import {
  BACKEND_NAMES,
  BackendError,
  type BackendInfo,
  type BackendName,
  initBackend,
  tf,
} from '@rtk-diffusion/tensor';

/**
 * The backend this thread computes on now (started by `initBackend`).
 *
 * @throws BackendError when no backend of {@link BACKEND_NAMES} is active.
 */
export function activeBackend(): BackendName {
  const name = tf.getBackend() as BackendName | undefined;
  if (name === undefined || !BACKEND_NAMES.includes(name)) {
    throw new BackendError(`no rtk-diffusion backend is active in this thread (got '${String(name)}')`);
  }
  return name;
}

/**
 * Starts `expected` in a worker thread (warnings silenced: the error below says it all).
 *
 * @throws BackendError (`E_BACKEND`, exit code 6) when the worker got another backend than `expected`.
 */
export async function startLaneBackend(
  expected: BackendName,
  init: typeof initBackend = initBackend,
): Promise<BackendInfo> {
  const info = await init({ prefer: expected, onWarning: () => {} });
  if (info.name !== expected) {
    throw new BackendError(
      `a worker thread could not start the '${expected}' backend of the main thread and would have computed on ` +
        `'${info.name}' (${info.fallbackReason ?? 'fallback'}), which can change its rows' values; ` +
        'run with --workers 1, or choose the backend with --backend',
      { details: { expected, got: info.name } },
    );
  }
  return info;
}
