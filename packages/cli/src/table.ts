/**
 * Tables for the terminal and for Markdown: a plain grid of strings, and the sweep table (rows samplers, columns NFE,
 * the best value of each column marked).
 */
import { METRICS, type MetricName } from './evaluate.js';

/** True when a cell reads as a number (possibly marked `*`, or `—` for none). */
function isNumeric(cell: string): boolean {
  const text = cell.trim().replace(/\*$/, '');
  return text === '—' || (text !== '' && !Number.isNaN(Number(text)));
}

/**
 * Renders rows of cells as an aligned text table: columns of numbers right-aligned, the first column and text columns
 * left-aligned.
 */
export function formatTextTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, j) => Math.max(cell.length, ...rows.map((row) => (row[j] ?? '').length)));
  const right = header.map(
    (_, j) => j > 0 && rows.length > 0 && rows.every((row) => isNumeric(row[j] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, j) => (right[j] ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Renders rows of cells as a GitHub Markdown table (numeric columns right-aligned, text left-aligned). */
export function formatMarkdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const numeric = (j: number) =>
    rows.length > 0 && rows.every((row) => isNumeric((row[j] ?? '').replace(/\*\*/g, '')));
  const rule = header.map((_, j) => (j > 0 && numeric(j) ? '--:' : ':--'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

/** One row of a metric table: a label and one value (or undefined: not run / failed) per column. */
export interface MetricRow {
  readonly label: string;
  readonly values: readonly (number | undefined)[];
}

/** Formats a metric value: 3 decimals for values of order one, else 3 significant digits (exponent when tiny). */
export function formatMetric(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 0.01 && magnitude < 1000) return value.toFixed(3);
  return magnitude >= 1e-3 && magnitude < 1e6 ? value.toPrecision(3) : value.toExponential(2);
}

/**
 * The indices of the best row in each column (ties all marked) for a metric where higher or lower is better.
 */
export function bestRows(rows: readonly MetricRow[], higherIsBetter: boolean): Set<number>[] {
  const columns = Math.max(0, ...rows.map((row) => row.values.length));
  return Array.from({ length: columns }, (_, j) => {
    const present = rows
      .map((row) => row.values[j])
      .filter((v): v is number => v !== undefined && Number.isFinite(v));
    const best =
      present.length === 0 ? undefined : higherIsBetter ? Math.max(...present) : Math.min(...present);
    const marked = new Set<number>();
    rows.forEach((row, i) => {
      const v = row.values[j];
      if (best !== undefined && v !== undefined && formatMetric(v) === formatMetric(best)) marked.add(i);
    });
    return marked;
  });
}

/**
 * A metric table with rows of samplers and columns of NFE; the best value in each column is marked (`*` in text,
 * bold in Markdown).
 */
export function formatMetricTable(
  metric: MetricName,
  columns: readonly string[],
  rows: readonly MetricRow[],
  format: 'text' | 'markdown',
  firstHeader = 'sampler',
): string {
  const best = bestRows(rows, METRICS[metric].higherIsBetter);
  const body = rows.map((row, i) => [
    row.label,
    ...columns.map((_, j) => {
      const text = formatMetric(row.values[j]);
      if (!best[j]?.has(i)) return format === 'text' ? `${text} ` : text;
      return format === 'text' ? `${text}*` : `**${text}**`;
    }),
  ]);
  const header = [firstHeader, ...columns.map((c) => (format === 'text' ? `${c} ` : c))];
  return format === 'text' ? formatTextTable(header, body) : formatMarkdownTable(header, body);
}
