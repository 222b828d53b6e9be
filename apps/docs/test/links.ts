/**
 * Following every internal link of the built site over HTTP: each `href` and `src` of every page must answer 200,
 * and a `#fragment` must name an element id of the page it points to.
 */

/** A link that does not resolve. */
export interface BrokenLink {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** What a crawl found. */
export interface CrawlResult {
  /** Internal HTML pages visited (paths). */
  readonly pages: readonly string[];
  /** Every internal URL checked (pages and assets). */
  readonly checked: number;
  readonly broken: readonly BrokenLink[];
}

const ATTRIBUTE = /\s(?:href|src)="([^"]+)"/g;

function ids(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
}

/** Crawls `origin` from `/`, following internal links only. */
export async function crawl(origin: string): Promise<CrawlResult> {
  const pages = new Map<string, Set<string>>(); // path → element ids
  const statuses = new Map<string, string | undefined>(); // path → failure reason (undefined: ok)
  const fragments: { from: string; path: string; hash: string }[] = [];
  const broken: BrokenLink[] = [];
  const queue: string[] = ['/'];
  const referrer = new Map<string, string>([['/', '(start)']]);

  while (queue.length > 0) {
    const path = queue.shift()!;
    const response = await fetch(origin + path);
    if (!response.ok) {
      statuses.set(path, `HTTP ${response.status}`);
      continue;
    }
    statuses.set(path, undefined);
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) {
      await response.arrayBuffer();
      continue;
    }
    const html = await response.text();
    pages.set(path, ids(html));
    for (const match of html.matchAll(ATTRIBUTE)) {
      const raw = match[1]!.replaceAll('&amp;', '&');
      if (/^(mailto:|javascript:|data:)/.test(raw)) continue;
      const url = new URL(raw, origin + path);
      if (url.origin !== origin) continue;
      const target = url.pathname;
      if (url.hash.length > 1)
        fragments.push({ from: path, path: target, hash: decodeURIComponent(url.hash.slice(1)) });
      if (!statuses.has(target) && !queue.includes(target)) {
        queue.push(target);
        referrer.set(target, path);
        statuses.set(target, 'pending');
      }
    }
  }
  for (const [path, reason] of statuses) {
    if (reason !== undefined) broken.push({ from: referrer.get(path) ?? '?', to: path, reason });
  }
  for (const { from, path, hash } of fragments) {
    const targetIds = pages.get(path);
    if (targetIds !== undefined && !targetIds.has(hash)) {
      broken.push({ from, to: `${path}#${hash}`, reason: 'no element with this id' });
    }
  }
  return { pages: [...pages.keys()].sort(), checked: statuses.size, broken };
}
