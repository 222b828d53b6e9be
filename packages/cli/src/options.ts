/**
 * Parsers of option values for the command line: each throws commander's `InvalidArgumentError` with a message that
 * says what is expected, so a bad value is a usage error (exit code 2) with a clear message.
 */

import type { GridChoice } from '@rtk-diffusion/samplers';
import { isScheduleName, SCHEDULE_NAMES } from '@rtk-diffusion/schedules';
import { InvalidArgumentError } from 'commander';

/** An integer ≥ `min`. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^[+-]?\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${value}'.`);
    }
    return parsed;
  };
}

/** A comma-separated list of integers ≥ `min` (`25,105,505`). */
export function integerList(min: number): (value: string) => number[] {
  const one = integerAtLeast(min);
  return (value) => {
    const parts = value.split(',').map((part) => part.trim());
    if (parts.some((part) => part === '')) {
      throw new InvalidArgumentError(`expected a comma-separated list of integers, got '${value}'.`);
    }
    return parts.map(one);
  };
}

/** A comma-separated list of names (`ddpm,rtk-mala`). */
export function nameList(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0)
    throw new InvalidArgumentError(`expected a comma-separated list of names, got '${value}'.`);
  return names;
}

/** `START:END` with 0 ≤ START < END: rows [START, END) of a seeded run. */
export function rowRange(value: string): [number, number] {
  const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (match === null || !(start < end)) {
    throw new InvalidArgumentError(`expected START:END with 0 ≤ START < END (e.g. 0:1000), got '${value}'.`);
  }
  return [start, end];
}

/**
 * A grid: a schedule name (`karras`), or JSON: `{"schedule": "ouUniform", "options": {"horizon": 4}}` or an array
 * of levels, noisiest first.
 */
export function gridChoice(value: string): GridChoice {
  if (isScheduleName(value)) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(
      `expected a schedule name (${SCHEDULE_NAMES.join(', ')}) or JSON ({"schedule": …, "options": …} or [levels]), got '${value}'.`,
    );
  }
  const isLevels = Array.isArray(parsed) && parsed.every((v) => typeof v === 'number');
  const isSchedule =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    isScheduleName((parsed as { schedule?: unknown }).schedule);
  if (!isLevels && !isSchedule) {
    throw new InvalidArgumentError(
      `a JSON grid is an array of levels or {"schedule": one of ${SCHEDULE_NAMES.join(', ')}, "options": {…}}, got '${value}'.`,
    );
  }
  return parsed as GridChoice;
}

/**
 * Collects repeated `--set key=value` sampler options into an object; the value is read as JSON when it parses
 * (`3`, `0.5`, `true`, `"warm"`), else as a string (`warm`).
 */
export function collectSetting(
  value: string,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  const match = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(value);
  if (match === null) {
    throw new InvalidArgumentError(`expected key=value (e.g. segments=5 or start=warm), got '${value}'.`);
  }
  const [, key, text] = match as unknown as [string, string, string];
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // a plain string such as `warm`
  }
  return { ...previous, [key]: parsed };
}
