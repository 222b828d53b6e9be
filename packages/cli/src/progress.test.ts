import { describe, expect, test } from 'vitest';
import { createProgress } from './progress.js';
import { bestRows, formatMetric, formatMetricTable, formatTextTable } from './table.js';

/** A fake stderr that records writes. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: {
      isTTY,
      columns: 100,
      write: (text: string) => {
        writes.push(text);
        return true;
      },
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => undefined,
      removeListener: () => undefined,
    } as unknown as NodeJS.WriteStream,
  };
}

describe('progress', () => {
  test('no bar when stderr is not a terminal, but log lines still print', () => {
    const fake = stream(false);
    let now = 0;
    const progress = createProgress({ total: 10, stream: fake.stream, now: () => now });
    now = 5000;
    progress.update(5, 'half');
    progress.log('a line');
    progress.stop();
    expect(fake.writes).toEqual(['a line\n']);
  });

  test('--quiet prints nothing at all, even on a terminal', () => {
    const fake = stream(true);
    let now = 0;
    const progress = createProgress({ total: 10, stream: fake.stream, quiet: true, now: () => now });
    now = 5000;
    progress.update(5);
    progress.log('a line');
    progress.stop();
    expect(fake.writes).toEqual([]);
  });

  test('on a terminal the bar appears only after the delay', () => {
    const fake = stream(true);
    let now = 0;
    const progress = createProgress({ total: 10, stream: fake.stream, now: () => now, delayMs: 1000 });
    progress.update(1);
    expect(fake.writes).toEqual([]); // a run shorter than a second never shows a bar
    now = 1500;
    progress.update(2, 'ddpm');
    // the bar has started: it hid the cursor (it draws on its own timer)
    expect(fake.writes.join('')).toContain('\u001b[?25l');
    progress.stop();
    expect(fake.writes.join('')).toContain('\u001b[?25h'); // cursor shown again
  });
});

describe('progress bar frames', () => {
  test('the first frame shows a readable ETA, never the garbled LLs / NFs of an unknown one', async () => {
    const fake = stream(true);
    let now = 0;
    const progress = createProgress({ total: 10, stream: fake.stream, now: () => now, delayMs: 1000 });
    now = 1500;
    progress.update(0, 'starting'); // the bar appears: no rate is known yet
    await new Promise((resolve) => setTimeout(resolve, 300)); // the bar redraws at 5 frames per second
    progress.update(3, 'running');
    await new Promise((resolve) => setTimeout(resolve, 300));
    progress.stop();
    const frames = fake.writes.join('');
    expect(frames).toContain('ETA … | starting');
    expect(frames).not.toMatch(/LLs|NFs/);
    expect(frames).toMatch(/30% \| 3\/10 \| ETA \d+s \| running/);
  });
});

describe('tables', () => {
  test('numbers right-aligned, text left-aligned', () => {
    const text = formatTextTable(
      ['name', 'value', 'note'],
      [
        ['a', '1.5', 'x'],
        ['bbb', '10.25', 'longer'],
      ],
    );
    expect(text.split('\n')).toEqual([
      'name  value  note',
      '----  -----  ------',
      'a       1.5  x',
      'bbb   10.25  longer',
    ]);
  });

  test('best per column: higher or lower is better, ties all marked, missing values skipped', () => {
    const rows = [
      { label: 'a', values: [0.9, 0.5, undefined] },
      { label: 'b', values: [0.8, 0.5, 0.1] },
    ];
    expect(bestRows(rows, true).map((s) => [...s])).toEqual([[0], [0, 1], [1]]);
    expect(bestRows(rows, false).map((s) => [...s])).toEqual([[1], [0, 1], [1]]);
    const markdown = formatMetricTable('marginalAccuracy', ['25', '105', '505'], rows, 'markdown');
    expect(markdown).toContain('| a | **0.900** | **0.500** | — |');
  });

  test('metric formatting', () => {
    expect(formatMetric(0.91234)).toBe('0.912');
    expect(formatMetric(0.0042)).toBe('0.00420');
    expect(formatMetric(-1.69e-6)).toBe('-1.69e-6');
    expect(formatMetric(undefined)).toBe('—');
    expect(formatMetric(Number.NaN)).toBe('—');
  });
});
