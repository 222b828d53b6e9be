/**
 * The playground page: controls, progress, scatter and metrics. All computation happens in a Web Worker
 * (worker.ts); this module only draws, so the page stays responsive. Stop terminates the worker and starts a new one.
 */
import { type DensityImage, densityCanvas, drawScatter } from './plot.js';
import type { FromWorker, PlaygroundBackend, SamplerListing, ToWorker } from './protocol.js';
import { playgroundTarget } from './targets.js';
import { buildView, element, formatMetric, METRIC_ROWS } from './view.js';

/** Mounts the playground into `root`; returns a function that tears it down (terminating the worker). */
export function mountPlayground(root: HTMLElement): () => void {
  const view = buildView(root);
  const { canvas, progress, statusText } = view;
  root.dataset.state = 'loading';

  let worker: Worker | undefined;
  let samplers: readonly SamplerListing[] = [];
  let runId = 0;
  let densityId = 0;
  let density: DensityImage | undefined;
  let background: HTMLCanvasElement | undefined;
  let points: Float32Array | undefined;
  let frame: number | undefined;
  let running = false;
  let backendLabel = '';
  let stopped = false;

  const setState = (state: 'loading' | 'ready' | 'running' | 'done' | 'stopped' | 'error', text: string) => {
    root.dataset.state = state;
    statusText.textContent = text;
    running = state === 'running';
    view.runButton.disabled = state === 'loading' || running;
    view.stopButton.disabled = !running;
    // the run's settings stay fixed while it runs (Stop first to change them)
    for (const control of [view.targetSelect, view.nfeInput, view.sizeSelect, view.seedInput])
      control.disabled = running;
    view.samplerSelect.disabled = running || samplers.length === 0;
  };

  const redraw = () => {
    frame = undefined;
    const extent = density?.extent ?? playgroundTarget(view.targetSelect.value).extent;
    canvas.dataset.points = String(drawScatter(canvas, background, extent, points));
  };
  const scheduleRedraw = () => {
    frame ??= requestAnimationFrame(redraw);
  };

  const clearMetrics = () => {
    for (const { now, floor } of view.metricCells.values()) {
      now.textContent = '–';
      floor.textContent = '–';
    }
    view.metricsCaption.textContent = '';
  };

  const send = (message: ToWorker) => worker?.postMessage(message);

  const requestDensity = () => {
    const target = playgroundTarget(view.targetSelect.value);
    view.description.textContent = target.description;
    densityId++;
    send({ type: 'density', id: densityId, target: target.name, resolution: 160 });
  };

  const describeSampler = () => {
    const listing = samplers.find((s) => s.name === view.samplerSelect.value);
    if (listing === undefined) return;
    view.nfeInput.min = String(listing.minNfe);
    view.samplerSelect.title = `${listing.title} (${listing.reference}); evaluations per step: ${listing.evalsPerStep}`;
  };

  const onMessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    switch (message.type) {
      case 'ready': {
        samplers = message.samplers;
        const previous = view.samplerSelect.value || 'rtk-mala';
        view.samplerSelect.replaceChildren(
          ...samplers.map((s) => element('option', { value: s.name }, [`${s.name}: ${s.title}`])),
        );
        view.samplerSelect.value = samplers.some((s) => s.name === previous)
          ? previous
          : (samplers[0]?.name ?? '');
        describeSampler();
        backendLabel = `${message.backend}${message.simd ? ' + SIMD' : ''}`;
        const note = message.fallbackReason === undefined ? '' : ` (${message.fallbackReason})`;
        const prefix = stopped ? 'Stopped. ' : '';
        stopped = false;
        setState(
          'ready',
          `${prefix}Ready on the ${backendLabel} backend${note}. Pick a sampler and press Run.`,
        );
        requestDensity();
        return;
      }
      case 'density': {
        if (message.id !== densityId) return;
        density = message;
        background = densityCanvas(message);
        scheduleRedraw();
        return;
      }
      case 'truth': {
        if (message.id !== runId) return;
        for (const row of METRIC_ROWS) {
          const cells = view.metricCells.get(row.key);
          if (cells !== undefined) cells.floor.textContent = formatMetric(message.floor[row.key]);
        }
        return;
      }
      case 'step': {
        if (message.id !== runId) return;
        points = message.points;
        progress.max = message.steps;
        progress.value = message.step + 1;
        statusText.textContent = `Step ${message.step + 1} / ${message.steps} · NFE ${message.nfe} · a = ${message.a.toPrecision(3)}`;
        scheduleRedraw();
        return;
      }
      case 'metrics': {
        if (message.id !== runId) return;
        for (const row of METRIC_ROWS) {
          const cells = view.metricCells.get(row.key);
          if (cells !== undefined) cells.now.textContent = formatMetric(message.metrics[row.key]);
        }
        view.metricsCaption.textContent = message.final
          ? 'Final samples against an exact sample of the same size.'
          : `After step ${message.step + 1} of ${message.steps}: samples still at a noisier level than the target.`;
        return;
      }
      case 'done': {
        if (message.id !== runId) return;
        progress.value = progress.max;
        setState(
          'done',
          `Done: NFE ${message.nfe} in ${message.seconds.toFixed(2)} s on ${backendLabel}. ${Object.entries(
            message.summary,
          )
            .map(([k, v]) => `${k} ${typeof v === 'number' ? formatMetric(v) : v}`)
            .join(', ')}`,
        );
        return;
      }
      case 'error': {
        if (message.id !== runId && message.id !== -1) return;
        setState('error', `Error: ${message.message}`);
        return;
      }
    }
  };

  const startWorker = () => {
    worker?.terminate();
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'rtk-playground' });
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', (event) => setState('error', `Worker error: ${event.message}`));
    setState('loading', 'Loading TensorFlow.js…');
    send({ type: 'init', backend: view.backendSelect.value as PlaygroundBackend });
  };

  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running || worker === undefined) return;
    const listing = samplers.find((s) => s.name === view.samplerSelect.value);
    const nfe = Number(view.nfeInput.value);
    if (listing === undefined) return;
    if (!(Number.isInteger(nfe) && nfe >= listing.minNfe && nfe <= 2000)) {
      setState('ready', `${listing.name} needs an integer NFE budget between ${listing.minNfe} and 2000.`);
      return;
    }
    runId++;
    points = undefined;
    clearMetrics();
    progress.value = 0;
    scheduleRedraw();
    setState('running', `Running ${listing.name}…`);
    send({
      type: 'run',
      id: runId,
      target: view.targetSelect.value,
      sampler: listing.name,
      nfe,
      n: Number(view.sizeSelect.value),
      seed: Math.max(0, Math.floor(Number(view.seedInput.value) || 0)),
    });
  });
  view.stopButton.addEventListener('click', () => {
    runId++;
    stopped = true;
    startWorker();
    statusText.textContent = 'Stopped. Restarting the worker…';
  });
  view.targetSelect.addEventListener('change', () => {
    points = undefined;
    clearMetrics();
    requestDensity();
    scheduleRedraw();
  });
  view.samplerSelect.addEventListener('change', describeSampler);
  view.backendSelect.addEventListener('change', () => {
    runId++;
    startWorker();
  });

  redraw();
  startWorker();
  return () => {
    runId++;
    worker?.terminate();
    worker = undefined;
    if (frame !== undefined) cancelAnimationFrame(frame);
  };
}
