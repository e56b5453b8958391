import { Ajv } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pullEvseStatusVariant } from '../../../src/oicp/messages.js';
import { OPERATION_IDS } from '../../../src/oicp/operations.js';
import {
  conforms,
  probeValidationTiers,
  type ValidationTier,
  validateComponent,
  validateMessage,
} from '../../../src/oicp/validate.js';
import { chargeDetailRecord } from './fixtures/cdr.js';
import { evseDataRecord } from './fixtures/evse-data.js';
import { EVSE_ID, UID } from './fixtures/ids.js';
import { VALID } from './fixtures/index.js';

describe('pullEvseStatusVariant', () => {
  it.each([
    [{ ProviderID: 'DE-DCB', EvseID: [EVSE_ID] }, 'PullEvseStatusById'],
    [{ ProviderID: 'DE-DCB', OperatorID: ['DE*ABC'] }, 'PullEvseStatusByOperatorId'],
    [{ ProviderID: 'DE-DCB', EVSEStatus: 'Available' }, 'PullEvseStatus'],
    [{ ProviderID: 'DE-DCB', EvseID: null }, 'PullEvseStatus'],
    [{ ProviderID: 'DE-DCB', EvseID: EVSE_ID }, 'PullEvseStatusById'],
    [null, 'PullEvseStatus'],
    [[{ EvseID: [EVSE_ID] }], 'PullEvseStatus'],
  ])('routes %j to %s', (body, variant) => {
    expect(pullEvseStatusVariant(body)).toBe(variant);
  });

  it('lets the ById schema report an EvseID that is not an array instead of ignoring it', () => {
    const body = { ProviderID: 'DE-DCB', EvseID: EVSE_ID };
    expect(validateMessage(pullEvseStatusVariant(body), 'request', body).map((v) => v.pointer)).toEqual(['/EvseID']);
  });

  it('routes every valid status-pull fixture to its own operation', () => {
    expect(pullEvseStatusVariant(VALID.PullEvseStatus.request())).toBe('PullEvseStatus');
    expect(pullEvseStatusVariant(VALID.PullEvseStatusById.request())).toBe('PullEvseStatusById');
    expect(pullEvseStatusVariant(VALID.PullEvseStatusByOperatorId.request())).toBe('PullEvseStatusByOperatorId');
  });
});

describe('validateComponent', () => {
  it('accepts valid components', () => {
    expect(validateComponent('EvseDataRecord', evseDataRecord())).toEqual([]);
    expect(validateComponent('EvseStatusRecord', { EvseID: EVSE_ID, EvseStatus: 'Available' })).toEqual([]);
    expect(validateComponent('Identification', { RFIDMifareFamilyIdentification: { UID } })).toEqual([]);
    expect(validateComponent('ChargeDetailRecord', chargeDetailRecord())).toEqual([]);
  });

  it('reports pointers relative to the component', () => {
    expect(validateComponent('EvseStatusRecord', { EvseID: 'nope', EvseStatus: 'Available', Extra: 1 })).toEqual([
      expect.objectContaining({ pointer: '/EvseID', severity: 'error' }),
      expect.objectContaining({ pointer: '/Extra', severity: 'warning' }),
    ]);
    expect(
      validateComponent('EvseDataRecord', { ...evseDataRecord(), IsOpen24Hours: undefined }).map((v) => v.pointer),
    ).toEqual(['/IsOpen24Hours']);
  });
});

describe('conforms', () => {
  it('treats warnings as conforming and errors as not', () => {
    expect(conforms([{ pointer: '/X', message: 'unknown', severity: 'warning' }])).toBe(true);
    expect(conforms([{ pointer: '/X', message: 'bad', severity: 'error' }])).toBe(false);
  });
});

describe('schema registry', () => {
  afterEach(() => vi.restoreAllMocks());

  it('compiles nothing at import and each schema once, on its first use (startup stays fast)', async () => {
    vi.resetModules();
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const fresh = await import('../../../src/oicp/validate.js');
    expect(compile).not.toHaveBeenCalled();
    const callsAfter: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const op of OPERATION_IDS) {
        fresh.validateMessage(op, 'request', VALID[op].request());
        fresh.validateMessage(op, 'response', {});
      }
      fresh.validateComponent('Identification', {});
      callsAfter.push(compile.mock.calls.length);
    }
    // The second round compiles nothing.
    expect(callsAfter[1]).toBe(callsAfter[0]);
    // The fail-fast tier (the instance compiled first) once per schema registered; the full tier only for the
    // schemas a body failed ({} as a response, {} as an Identification), once each.
    const fast = compile.mock.contexts[0];
    const byFast = compile.mock.contexts.filter((instance) => instance === fast).length;
    expect(byFast).toBe(OPERATION_IDS.length * 2 + 1);
    expect(compile.mock.calls.length - byFast).toBeGreaterThan(0);
    expect(compile.mock.calls.length - byFast).toBeLessThanOrEqual(OPERATION_IDS.length + 1);
  });

  it('compiles every message and component schema in strict mode on demand', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/oicp/validate.js');
    expect(fresh.compileAllSchemas()).toBe(OPERATION_IDS.length * 2 + 4);
  });

  it('refuses an operation it does not know', () => {
    expect(() => validateMessage('PullAuthenticationData' as never, 'request', {})).toThrow(/no schema registered/);
  });
});

describe('two validation tiers', () => {
  afterEach(() => probeValidationTiers(undefined));

  const tiers = (run: () => void): ValidationTier[] => {
    const seen: ValidationTier[] = [];
    probeValidationTiers((tier) => seen.push(tier));
    run();
    probeValidationTiers(undefined);
    return seen;
  };

  it('settles a conforming body with the fail-fast tier alone', () => {
    for (const op of OPERATION_IDS)
      expect(tiers(() => expect(conforms(validateMessage(op, 'request', VALID[op].request()))).toBe(true))).toEqual([
        'fast',
      ]);
    expect(tiers(() => validateComponent('EvseDataRecord', evseDataRecord()))).toEqual(['fast']);
  });

  it('lists every violation of a body the fail-fast tier rejects, through the full tier', () => {
    const body = {
      ...VALID.AuthorizeRemoteStart.request(),
      EvseID: 'not an EVSE ID',
      SessionID: 42,
      ProviderID: undefined,
      PartnerProductID: 'x'.repeat(101),
      Extra: true,
    };
    let violations: ReturnType<typeof validateMessage> = [];
    expect(tiers(() => (violations = validateMessage('AuthorizeRemoteStart', 'request', body)))).toEqual([
      'fast',
      'full',
    ]);
    expect(violations.map((v) => [v.pointer, v.severity]).sort()).toEqual(
      [
        ['/EvseID', 'error'],
        ['/SessionID', 'error'],
        ['/ProviderID', 'error'],
        ['/PartnerProductID', 'error'],
        ['/Extra', 'warning'],
      ].sort(),
    );
  });

  it('reports unknown properties of a body that otherwise conforms, through the fast tier', () => {
    const body = { ...VALID.AuthorizeRemoteStart.request(), SessionId: 'x' };
    let violations: ReturnType<typeof validateMessage> = [];
    expect(tiers(() => (violations = validateMessage('AuthorizeRemoteStart', 'request', body)))).toEqual(['fast']);
    expect(violations).toEqual([expect.objectContaining({ pointer: '/SessionId', severity: 'warning' })]);
  });
});

describe('optimized compilation of a schema in steady use', () => {
  afterEach(() => vi.restoreAllMocks());

  it('compiles each schema once more after OPTIMIZE_AFTER_USES bodies, with the same verdicts and violations', async () => {
    vi.resetModules();
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const fresh = await import('../../../src/oicp/validate.js');
    const bodies = (op: (typeof OPERATION_IDS)[number]): unknown[] => {
      const valid = VALID[op].request() as Record<string, unknown>;
      const retyped = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, typeof v === 'string' ? 42 : v]));
      return [valid, {}, retyped, { ...valid, Unknown: 1 }];
    };
    const verdicts = () => OPERATION_IDS.map((op) => bodies(op).map((b) => fresh.validateMessage(op, 'request', b)));
    const before = verdicts();
    expect(before.flat().some((v) => fresh.conforms(v))).toBe(true);
    expect(before.flat().some((v) => !fresh.conforms(v))).toBe(true);
    const compiledBefore = compile.mock.calls.length;
    for (const op of OPERATION_IDS)
      for (let i = bodies(op).length; i < fresh.OPTIMIZE_AFTER_USES; i++)
        fresh.validateMessage(op, 'request', VALID[op].request());
    // One more compilation per schema, by a third ajv instance (the optimizing one), and none after it.
    const promoted = compile.mock.contexts.slice(compiledBefore);
    expect(promoted).toHaveLength(OPERATION_IDS.length);
    expect(new Set(promoted).size).toBe(1);
    expect(compile.mock.contexts.slice(0, compiledBefore)).not.toContain(promoted[0]);
    expect(verdicts()).toEqual(before);
    expect(compile.mock.calls.length).toBe(compiledBefore + OPERATION_IDS.length);
  });

  it('keeps the short compilation of a component, which checks simulator/ data record by record at start', async () => {
    vi.resetModules();
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const fresh = await import('../../../src/oicp/validate.js');
    for (let i = 0; i < fresh.OPTIMIZE_AFTER_USES * 2; i++)
      expect(fresh.validateComponent('EvseDataRecord', evseDataRecord())).toEqual([]);
    expect(compile).toHaveBeenCalledTimes(1);
  });
});
