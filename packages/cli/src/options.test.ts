import { InvalidArgumentError } from 'commander';
import { describe, expect, test } from 'vitest';
import { collectSetting, gridChoice, integerAtLeast, integerList, nameList, rowRange } from './options.js';

describe('option parsers', () => {
  test('integers and lists', () => {
    expect(integerAtLeast(1)('25')).toBe(25);
    for (const bad of ['0', '2.5', 'x', '', '1e3'])
      expect(() => integerAtLeast(1)(bad)).toThrow(InvalidArgumentError);
    expect(integerList(1)('25, 105,505')).toEqual([25, 105, 505]);
    expect(() => integerList(1)('25,,105')).toThrow(/comma-separated list/);
    expect(nameList('ddpm, rtk-mala,')).toEqual(['ddpm', 'rtk-mala']);
  });

  test('row ranges', () => {
    expect(rowRange('0:1000')).toEqual([0, 1000]);
    for (const bad of ['5:5', '9:3', '3', 'a:b', '-1:4']) expect(() => rowRange(bad)).toThrow(/START:END/);
  });

  test('grids: a schedule name, {schedule, options} or levels', () => {
    expect(gridChoice('karras')).toBe('karras');
    expect(gridChoice('{"schedule":"ouUniform","options":{"horizon":4}}')).toEqual({
      schedule: 'ouUniform',
      options: { horizon: 4 },
    });
    expect(gridChoice('[0.001, 0.5, 1]')).toEqual([0.001, 0.5, 1]);
    expect(() => gridChoice('karas')).toThrow(/schedule name \(linear, cosine/);
    expect(() => gridChoice('{"schedule":"nope"}')).toThrow(/a JSON grid is/);
  });

  test('--set key=value collects JSON values, or strings', () => {
    const first = collectSetting('segments=10');
    expect(collectSetting('start=warm', first)).toEqual({ segments: 10, start: 'warm' });
    expect(collectSetting('stepSize=0.01')).toEqual({ stepSize: 0.01 });
    expect(() => collectSetting('segments')).toThrow(/key=value/);
  });
});
