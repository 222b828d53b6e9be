/**
 * The built site in a real browser (Debian's Chromium through playwright-core): every internal link resolves, the
 * main pages load without script errors, the benchmark pages show the committed runs, and the playground samples a
 * small batch in its Web Worker, draws the scatter, updates the progress bar and the metrics step by step and ends
 * with finite metrics while the page keeps painting. Screenshots go to test-results/ (gitignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isFresh } from '../src/.vitepress/build-stamp.js';
import { launchChromium, type TestBrowser } from './browser.js';
import { crawl } from './links.js';
import { type StaticServer, serveStatic } from './serve.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url));

let server: StaticServer;
let browser: TestBrowser;

beforeAll(async () => {
  if (!isFresh(distDir, repoRoot)) {
    // `pnpm test` builds first (turbo: test depends on build), and that build is fresh. Any other way in (`pnpm
    // --filter @rtk-diffusion/docs test`, a bare `vitest run`) may find no dist/, or one built from older sources:
    // the build stamp tells (src/.vitepress/build-stamp.ts), and a stale or missing build is rebuilt here.
    const build = spawnSync(`${appDir}node_modules/.bin/vitepress`, ['build', 'src'], {
      cwd: appDir,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error(`the docs build failed (exit ${build.status})`);
  }
  mkdirSync(artifacts, { recursive: true });
  server = await serveStatic(distDir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path`, collecting uncaught errors and console errors. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${path}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${path}: console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${path}: HTTP ${response.status()} for ${response.url()}`);
  });
  const response = await page.goto(server.origin + path, { waitUntil: 'load' });
  expect(response?.status(), path).toBe(200);
  return { page, errors };
}

describe('the built docs site', () => {
  test('every internal link and asset resolves, fragments included', async () => {
    const result = await crawl(server.origin);
    expect(result.broken).toEqual([]);
    // the crawl must reach every part of the site, or it proves nothing
    for (const part of [
      '/guide/',
      '/theory/',
      '/theory/references',
      '/tutorial/',
      '/api/',
      '/benchmarks/',
      '/benchmarks/images',
      '/benchmarks/toy',
      '/benchmarks/speed',
      '/playground',
    ]) {
      expect(
        result.pages.some((p) => p.startsWith(part)),
        `no page under ${part}`,
      ).toBe(true);
    }
    expect(result.pages.filter((p) => p.startsWith('/api/')).length).toBeGreaterThanOrEqual(7);
  });

  test('the main pages render without script errors (screenshots)', async () => {
    const shots: [string, string][] = [
      ['/', 'home'],
      ['/guide/', 'guide'],
      ['/theory/', 'theory'],
      ['/theory/samplers.html', 'formulas'],
      ['/theory/complexity.html', 'complexity'],
      ['/guide/choosing-a-sampler.html', 'choosing'],
      ['/guide/reading-results.html', 'reading-results'],
      ['/guide/score-models.html', 'score-models'],
      ['/guide/backends.html', 'backends'],
      ['/theory/references.html', 'references'],
      ['/tutorial/add-a-sampler.html', 'tutorial'],
      ['/benchmarks/', 'benchmarks'],
      ['/benchmarks/images.html', 'benchmarks-images'],
      ['/benchmarks/toy.html', 'benchmarks-toy'],
      ['/benchmarks/speed.html', 'benchmarks-speed'],
      ['/api/@rtk-diffusion/samplers.html', 'api-samplers'],
    ];
    const errors: string[] = [];
    for (const [path, name] of shots) {
      const opened = await open(path);
      await opened.page.screenshot({ path: `${artifacts}${name}.png`, fullPage: name !== 'api-samplers' });
      errors.push(...opened.errors);
      await opened.page.close();
    }
    expect(errors).toEqual([]);
  });

  test('the benchmark page shows the committed results, or says there are none', async () => {
    const { page, errors } = await open('/benchmarks/');
    const found = await page.locator('[data-testid="bench-source"], [data-testid="bench-missing"]').count();
    expect(found).toBe(1);
    if ((await page.locator('[data-testid="bench-source"]').count()) === 1) {
      expect(await page.locator('svg.bench-chart').count()).toBeGreaterThan(0);
      expect(await page.locator('table.bench-table').count()).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the images, toy and speed pages show their latest committed runs, images loaded, or say there is none', async () => {
    const expected: Record<string, RegExp> = {
      '/benchmarks/images.html': /FID/,
      '/benchmarks/toy.html': /RTK/,
      '/benchmarks/speed.html': /PyTorch|of peak/,
    };
    for (const [path, content] of Object.entries(expected)) {
      const { page, errors } = await open(path);
      const body = (await page.textContent('.vp-doc')) ?? '';
      const run = /rendered from `?results\/[^/\s]+\/summary\.md/.test(body);
      if (!run) expect(body, path).toMatch(/No committed run of the \w+ suite/);
      else {
        expect(body, path).toMatch(content);
        expect(await page.locator('.vp-doc table').count(), path).toBeGreaterThan(0);
        // every image of the run is served and decoded (lazy images scrolled into view first)
        const images = page.locator('.vp-doc img');
        for (let k = 0; k < (await images.count()); k++) await images.nth(k).scrollIntoViewIfNeeded();
        const sizes = await images.evaluateAll((nodes) =>
          nodes.map((node) => {
            const image = node as HTMLImageElement;
            return { src: image.getAttribute('src'), ok: image.complete && image.naturalWidth > 0 };
          }),
        );
        expect(sizes.length, path).toBeGreaterThan(0);
        for (const { src, ok } of sizes) expect(ok, `${path}: ${src}`).toBe(true);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  test("the guide's numbers come from the committed results", async () => {
    const { page, errors } = await open('/guide/choosing-a-sampler.html');
    if ((await page.locator('[data-testid="headline"]').count()) === 1) {
      const cells = await page.$$eval('[data-testid="headline"] tbody tr', (rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')),
      );
      expect(cells.length).toBeGreaterThan(0);
      // the NFE and the floor of every target are numbers
      for (const row of cells)
        for (const value of row.slice(0, 2)) expect(Number.isFinite(Number(value))).toBe(true);
      expect(await page.textContent('.vp-doc')).toMatch(/(beats|ties|loses to) \(/);
    }
    expect(errors).toEqual([]);
    await page.close();
    const reading = await open('/guide/reading-results.html');
    const floor = (await reading.page.textContent('[data-testid="floor-example"]').catch(() => null)) ?? '';
    if (floor !== '') expect(floor).toMatch(/score \d\.\d+ marginal accuracy \(\d\.\d+ with/);
    expect(reading.errors).toEqual([]);
    await reading.page.close();
  });

  test('math is rendered (MathJax SVG) on the theory pages', async () => {
    const { page, errors } = await open('/theory/samplers.html');
    expect(await page.locator('mjx-container svg').count()).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the playground samples in a worker, draws the scatter and shows finite metrics without freezing', async () => {
    const { page, errors } = await open('/playground.html');
    await page.waitForSelector('.rtk-playground[data-state="ready"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="status"]')).toContain('wasm');
    await page.selectOption('[data-testid="target"]', 'ring-8');
    await page.selectOption('[data-testid="sampler"]', 'rtk-mala');
    await page.fill('[data-testid="nfe"]', '60');
    await page.selectOption('[data-testid="n"]', '200');
    // Count animation frames and the longest gap between two during the run: a blocked main thread shows here.
    await page.evaluate(() => {
      const w = window as unknown as { frames_: number; maxGap_: number };
      w.frames_ = 0;
      w.maxGap_ = 0;
      let last = performance.now();
      const tick = (now: number) => {
        w.frames_++;
        w.maxGap_ = Math.max(w.maxGap_, now - last);
        last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // Record the progress bar, the metric cells and their caption at every change the page makes during the run.
    await page.evaluate(() => {
      const w = window as unknown as {
        snapshots_: { value: number; max: number; caption: string; cells: string[] }[];
      };
      w.snapshots_ = [];
      const progress = document.querySelector<HTMLProgressElement>('[data-testid="progress"]');
      const record = () =>
        w.snapshots_.push({
          value: progress?.value ?? Number.NaN,
          max: progress?.max ?? Number.NaN,
          caption: document.querySelector('[data-testid="metrics-caption"]')?.textContent ?? '',
          cells: [...document.querySelectorAll('[data-metric]')].map((cell) => cell.textContent ?? ''),
        });
      const observer = new MutationObserver(record);
      for (const selector of [
        '[data-testid="progress"]',
        '[data-testid="metrics"]',
        '[data-testid="metrics-caption"]',
      ])
        observer.observe(document.querySelector(selector)!, {
          attributes: true,
          childList: true,
          characterData: true,
          subtree: true,
        });
    });
    await page.click('[data-testid="run"]');
    await page.waitForSelector('.rtk-playground[data-state="done"], .rtk-playground[data-state="error"]', {
      timeout: 90_000,
    });
    const status = await page.textContent('[data-testid="status"]');
    expect(await page.getAttribute('.rtk-playground', 'data-state'), status ?? '').toBe('done');
    await page.waitForFunction(() => document.querySelector('canvas')?.dataset.points !== '0');

    const metrics = await page.$$eval('[data-metric], [data-floor]', (cells) =>
      cells.map((cell) => [
        cell.getAttribute('data-metric') ?? `floor:${cell.getAttribute('data-floor')}`,
        cell.textContent,
      ]),
    );
    expect(metrics).toHaveLength(12);
    for (const [name, text] of metrics) {
      expect(Number.isFinite(Number(text)), `${name} = ${text}`).toBe(true);
    }
    const accuracy = Number(metrics.find(([name]) => name === 'marginalAccuracy')?.[1]);
    expect(accuracy).toBeGreaterThan(0.5);

    // The progress bar moved through intermediate values to its end, never backwards; the metrics were shown for
    // intermediate steps (finite, captioned as such) and changed as the steps went, before the final ones.
    const snapshots = await page.evaluate(
      () =>
        (
          window as unknown as {
            snapshots_: { value: number; max: number; caption: string; cells: string[] }[];
          }
        ).snapshots_,
    );
    const fractions = snapshots.filter((s) => s.max > 1).map((s) => s.value / s.max);
    const intermediate = new Set(fractions.filter((f) => f > 0 && f < 1));
    expect(intermediate.size, JSON.stringify(fractions)).toBeGreaterThanOrEqual(2);
    for (let k = 1; k < fractions.length; k++) expect(fractions[k]).toBeGreaterThanOrEqual(fractions[k - 1]!);
    expect(fractions.at(-1)).toBe(1);
    const during = snapshots.filter(
      (s) => s.caption.startsWith('After step') && s.cells.every((cell) => Number.isFinite(Number(cell))),
    );
    expect(during.length, JSON.stringify(snapshots.map((s) => s.caption))).toBeGreaterThanOrEqual(2);
    expect(new Set(during.map((s) => s.cells.join(' '))).size).toBeGreaterThanOrEqual(2);
    const finalAt = snapshots.findIndex((s) => s.caption.startsWith('Final'));
    expect(finalAt).toBeGreaterThan(snapshots.indexOf(during[0]!));

    // The plot: most of the 200 points inside the view, and sample-coloured pixels on the canvas.
    const drawn = Number(await page.getAttribute('[data-testid="scatter"]', 'data-points'));
    expect(drawn).toBeGreaterThanOrEqual(180);
    const orange = await page.$eval('[data-testid="scatter"]', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let count = 0;
      for (let k = 0; k < data.length; k += 4) if (data[k]! > 200 && data[k + 2]! < 120) count++;
      return count;
    });
    expect(orange).toBeGreaterThan(500);
    const frames = await page.evaluate(() => {
      const w = window as unknown as { frames_: number; maxGap_: number };
      return { frames_: w.frames_, maxGap_: w.maxGap_ };
    });
    expect(frames.frames_).toBeGreaterThan(5);
    // A gross freeze detector only (CI shares 2 cores with other test processes, so frames can be late); the
    // structural guarantee is that the sampling runs in a dedicated worker, checked next.
    expect(frames.maxGap_).toBeLessThan(2000);
    const workers = page.workers().map((w) => w.url());
    expect(
      workers.some((url) => url.includes('worker')),
      workers.join(', '),
    ).toBe(true);
    await page.screenshot({ path: `${artifacts}playground.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
