import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../../src/cli/commands/demo.js';
import { UsageError } from '../../../src/shared/errors.js';

describe('demo --ocpp', () => {
  it('is taken for the CPO or both roles, and refused, naming the fix, for the EMP alone', () => {
    expect(parseDemoArgs(['--ocpp']).ocpp).toBe(true);
    expect(parseDemoArgs(['--role', 'cpo', '--ocpp']).ocpp).toBe(true);
    expect(parseDemoArgs([]).ocpp).toBe(false);
    expect(() => parseDemoArgs(['--role', 'emp', '--ocpp'])).toThrow(UsageError);
    expect(() => parseDemoArgs(['--role', 'emp', '--ocpp'])).toThrow(/drop --role emp, or --ocpp/);
  });
});
