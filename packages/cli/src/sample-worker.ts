/**
 * A sample worker thread (see draw-chunks.ts): starts its own TensorFlow.js backend, resolves the target, then draws
 * the row chunks it is sent, one at a time, posting progress and each chunk's samples (the buffer is transferred,
 * not copied) or the error as plain JSON.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '@rtk-diffusion/tensor';
import { drawSamples } from './draw.js';
import type { WorkerMessage, WorkerSetup } from './draw-chunks.js';
import { errorJson } from './errors.js';
import { NO_PROGRESS } from './progress.js';
import { resolveSampleTarget } from './resolve-target.js';

const port = parentPort!;
const setup = workerData as WorkerSetup;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);
const postError = (error: unknown): void =>
  post({ type: 'error', ...errorJson(error), stack: (error as Error)?.stack ?? '' });

try {
  await initBackend({
    ...(setup.backend === undefined ? {} : { prefer: setup.backend }),
    onWarning: () => {},
  });
  const { model } = await resolveSampleTarget(setup.target);
  port.on('message', ({ start, end }: { start: number; end: number }) => {
    let total = 0;
    let last = 0;
    drawSamples({
      ...setup.draw,
      model,
      n: end - start,
      rowOffset: start,
      progress: {
        ...NO_PROGRESS,
        setTotal: (value) => {
          total = value;
        },
        update: (done) => {
          // at most ~100 progress messages per chunk
          if (done - last >= total / 100 || done === total) {
            last = done;
            post({ type: 'progress', done, total });
          }
        },
      },
    }).then(({ samples, nfe, trace }) => {
      const { values } = samples;
      const own =
        values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
      post({ type: 'done', n: samples.n, d: samples.d, values: own, nfe, trace }, [
        own.buffer as ArrayBuffer,
      ]);
    }, postError);
  });
  post({ type: 'ready' });
} catch (error) {
  postError(error);
}
