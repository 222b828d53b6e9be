/**
 * Runs before every test file: selects the backend (`RTK_BACKEND`, default wasm) so tests compute on the same backend
 * that users get by default. A fallback to cpu is a test failure here, not a warning: tests must know what they test.
 */
import { initBackend } from '@rtk-diffusion/tensor';

await initBackend({
  onWarning: (message) => {
    throw new Error(`test setup: ${message}`);
  },
});
