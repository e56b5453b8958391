import { describe, expect, it } from 'vitest';
import { demoCommand } from '../../../src/cli/commands/demo.js';
import { referenceCommand } from '../../../src/cli/commands/reference.js';
import { parseRunArgs, runCommand } from '../../../src/cli/commands/run.js';
import { parseServeArgs, serveCommand } from '../../../src/cli/commands/serve.js';
import { parseTimeScale, TIME_SCALE_PRESETS, TIME_SCALE_RANGE } from '../../../src/cli/time-scale.js';
import { UsageError } from '../../../src/shared/errors.js';

describe('--time-scale', () => {
  it('takes the presets by name, whatever their case: fast is the demo scale, real is 1', () => {
    expect(parseTimeScale('fast', 1)).toBe(0.02);
    expect(parseTimeScale('REAL', 0.02)).toBe(1);
    expect(parseTimeScale(' Fast ', 1)).toBe(TIME_SCALE_PRESETS.fast);
  });

  it('takes a plain decimal within the range, and the fallback when the flag is absent', () => {
    expect(parseTimeScale('0.05', 1)).toBe(0.05);
    expect(parseTimeScale('.5', 1)).toBe(0.5);
    expect(parseTimeScale('1e-2', 1)).toBe(0.01);
    expect(parseTimeScale('1', 0.02)).toBe(1);
    expect(parseTimeScale(undefined, 0.02)).toBe(0.02);
  });

  it.each([
    ['0'],
    [''],
    ['-1'],
    ['0x10'],
    ['Infinity'],
    ['NaN'],
    ['0.009'],
    ['1.5'],
    ['2'],
    ['slow'],
    ['toString'],
    ['constructor'],
  ])('refuses %j naming the presets and the range', (value) => {
    expect(() => parseTimeScale(value, 1)).toThrow(UsageError);
    expect(() => parseTimeScale(value, 1)).toThrow(
      `--time-scale must be fast (0.02: quick local runs, CI smoke runs) or real (1: a dry run at protocol time before certification), or a number from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}; got "${value}"`,
    );
  });

  it('defaults to real time for run and serve, whose hub a real backend calls', () => {
    expect(parseRunArgs(['--partner', 'p.yaml']).timeScale).toBe(1);
    expect(parseRunArgs(['--partner', 'p.yaml', '--time-scale', 'fast']).timeScale).toBe(0.02);
    expect(parseServeArgs([]).timeScale).toBe(1);
    expect(parseServeArgs(['--time-scale', 'fast']).timeScale).toBe(0.02);
    expect(() => parseServeArgs(['--time-scale', '0'])).toThrow(UsageError);
  });

  it.each([runCommand, serveCommand, demoCommand, referenceCommand])(
    '$name --help names both presets and the range, with its default',
    (command) => {
      // The option's line and its continuation lines, indented deeper than the next option.
      const option = command.usage.match(/ {2}--time-scale <x>\s+[^\n]*(\n {20,}[^\n]*)*/);
      expect(option).not.toBeNull();
      const text = option![0].replace(/\s+/g, ' ');
      expect(text).toContain('fast (');
      expect(text).toContain('real (');
      expect(text).toContain(`from ${TIME_SCALE_RANGE.min} to ${TIME_SCALE_RANGE.max}`);
      expect(text).toContain(command.name === 'demo' ? 'fast (default: 0.02' : 'real (default: 1');
    },
  );
});
