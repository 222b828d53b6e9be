/**
 * The built site in a real browser (Debian's Chromium through playwright-core): every internal link resolves, the
 * main pages load without script errors, and the playground samples a small batch in its Web Worker, draws the
 * scatter and shows finite metrics while the page keeps painting. Screenshots go to test-results/ (gitignored).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, type TestBrowser } from './browser.js';
import { crawl } from './links.js';
import { type StaticServer, serveStatic } from './serve.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const artifacts = fileURLToPath(new URL('../test-results/', import.meta.url));

let server: StaticServer;
let browser: TestBrowser;

beforeAll(async () => {
  if (!existsSync(`${distDir}index.html`)) {
    // `pnpm test` builds first (turbo: test depends on build); a bare `vitest run` builds here.
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
    for (const part of ['/guide/', '/theory/', '/tutorial/', '/api/', '/benchmarks/', '/playground']) {
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
      ['/tutorial/add-a-sampler.html', 'tutorial'],
      ['/benchmarks/', 'benchmarks'],
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
