import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessage } from '../../../src/oicp/validate.js';
import { MAX_RECORDED_VIOLATIONS } from '../../../src/shared/exchange.js';
import { startTestHub, type TestHub, testWorld } from '../../helpers/hub.js';
import { pushEvseStatus } from '../../helpers/messages.js';
import { rawRequest } from '../../helpers/raw-request.js';

const LIMIT = 256 * 1024;
const PULL_BY_ID = '/evsepull/v21/providers/DE-EMA/status-records-by-id';
const PULL_STATUS = '/evsepull/v21/providers/DE-EMA/status-records';
const PUSH_STATUS = '/evsepush/v21/operators/DE*CPA/status-records';
const START = '/charging/v21/operators/DE*CPA/authorize/start';

/** A JSON body of about `bytes` bytes for AuthorizeStart (an unknown padding property), in chunks of 16 KiB. */
function bigBody(bytes: number): Buffer[] {
  const text = JSON.stringify({
    OperatorID: 'DE*CPA',
    Identification: { RFIDMifareFamilyIdentification: { UID: 'AABBCCDD' } },
    Padding: 'x'.repeat(bytes),
  });
  const buf = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 16 * 1024) out.push(buf.subarray(i, i + 16 * 1024));
  return out;
}

describe("over-limit bodies get a 413 in the operation's shape, never a reset connection", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(testWorld({ bodyLimitBytes: LIMIT }));
  });
  afterAll(() => t.close());
  const url = (path: string) => `${t.hub.url}${path}`;
  const cpo = () => ({ ca: t.certs.hub.ca, client: t.certs.partner('cpo-a').client });

  function expect413(outcome: Awaited<ReturnType<typeof rawRequest>>): void {
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(413);
    const answer = JSON.parse(outcome.text!);
    expect(answer).toMatchObject({ AuthorizationStatus: 'NotAuthorized', StatusCode: { Code: '022' } });
    expect(answer.StatusCode.AdditionalInfo).toMatch(new RegExp(`over the hub's limit of ${LIMIT} bytes`));
    expect(validateMessage('AuthorizeStart', 'response', answer).filter((v) => v.severity === 'error')).toEqual([]);
  }

  it('refuses an over-limit Content-Length with Expect: 100-continue before the body is sent', async () => {
    const chunks = bigBody(4 * 1024 * 1024);
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const outcome = await rawRequest(url(START), {
      ...cpo(),
      expectContinue: true,
      headers: { 'content-type': 'application/json', 'content-length': length },
      chunks,
    });
    expect(outcome.continued).toBe(false);
    expect(outcome.bytesWritten).toBe(0);
    expect413(outcome);
  });

  it('still invites a body within the limit that asked Expect: 100-continue', async () => {
    const body = Buffer.from(
      JSON.stringify({ OperatorID: 'DE*CPA', Identification: { RFIDMifareFamilyIdentification: { UID: 'AABBCCDD' } } }),
    );
    const outcome = await rawRequest(url(START), {
      ...cpo(),
      expectContinue: true,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      chunks: [body],
    });
    expect(outcome.continued).toBe(true);
    expect(outcome.status).toBe(200);
  });

  it('reads an over-limit body sent without Expect to its end, then answers 413 (twice the limit, Content-Length)', async () => {
    for (let i = 0; i < 3; i++) {
      const chunks = bigBody(2 * LIMIT);
      const length = chunks.reduce((n, c) => n + c.length, 0);
      const outcome = await rawRequest(url(START), {
        ...cpo(),
        sendWholeBody: true,
        headers: { 'content-type': 'application/json', 'content-length': length },
        chunks,
      });
      expect(outcome.bytesWritten).toBe(length);
      expect413(outcome);
    }
  });

  it('reads a chunked body that grows past the limit to its end, then answers 413', async () => {
    for (let i = 0; i < 3; i++) {
      const chunks = bigBody(2 * LIMIT);
      const outcome = await rawRequest(url(START), {
        ...cpo(),
        sendWholeBody: true,
        headers: { 'content-type': 'application/json' },
        chunks,
      });
      expect(outcome.bytesWritten).toBe(chunks.reduce((n, c) => n + c.length, 0));
      expect413(outcome);
    }
  });

  it('answers 413 to a body far past what it drains (16 times the limit) and closes the connection', async () => {
    const chunks = bigBody(16 * LIMIT);
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const outcome = await rawRequest(url(START), {
      ...cpo(),
      headers: { 'content-type': 'application/json', 'content-length': length },
      chunks,
    });
    expect413(outcome);
    expect(outcome.headers!.connection).toBe('close');
  });

  it('keeps serving after the refusals', async () => {
    const res = await t.call(
      'cpo-a',
      PUSH_STATUS,
      pushEvseStatus('DE*CPA', [{ EvseID: 'DE*CPA*E1', EvseStatus: 'Available' }]),
    );
    expect(res.json.StatusCode.Code).toBe('000');
  });
});

describe('limits that hold before the validator does any work', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(testWorld({ bodyLimitBytes: 4 * 1024 * 1024, aup: { enabled: false, perMinute: {} } }));
  });
  afterAll(() => t.close());
  const last = () => t.recorder.all().at(-1)!;

  it('refuses PullEvseStatusById with more than 100 EvseIDs at once, with one violation (3.7 MB, 380,000 invalid IDs)', async () => {
    const ids = Array.from({ length: 380_000 }, (_, i) => `x${i}`);
    const body = { ProviderID: 'DE-EMA', EvseID: ids };
    expect(JSON.stringify(body).length).toBeGreaterThan(3_500_000);
    for (const path of [PULL_BY_ID, PULL_STATUS]) {
      const started = Date.now();
      const res = await t.call('emp-a', path, body);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ EVSEStatusRecords: { EvseStatusRecord: [] }, StatusCode: { Code: '022' } });
      expect(res.json.StatusCode.AdditionalInfo).toMatch(
        /\/EvseID: must have at most 100 items, got 380000 \(OICP 2\.3 EMP 02/,
      );
      expect(last().violations).toHaveLength(1);
      // Refused on a count, not after describing 380,000 pattern errors (which took tens of seconds).
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it('accepts exactly 100 EvseIDs', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `DE*CPA*E${i}`);
    const res = await t.call('emp-a', PULL_BY_ID, { ProviderID: 'DE-EMA', EvseID: ids });
    expect(res.status).toBe(200);
  });

  it(`keeps the first ${MAX_RECORDED_VIOLATIONS} violations of an exchange and records how many there were`, async () => {
    const records = Array.from({ length: 5_000 }, (_, i) => ({ EvseID: `bad-${i}`, EvseStatus: 'Available' }));
    const res = await t.call('cpo-a', PUSH_STATUS, pushEvseStatus('DE*CPA', records));
    expect(res.status).toBe(400);
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/^5000 schema violation\(s\)/);
    const x = last();
    expect(x.violations).toHaveLength(MAX_RECORDED_VIOLATIONS);
    expect(x.violationTotal).toBe(5_000);
    expect(x.violations[0]!.pointer).toBe('/OperatorEvseStatus/EvseStatusRecord/0/EvseID');
  });
});
