import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Hub, startHub } from '../../../src/hub/server.js';
import { fillPath, OPERATION_IDS, OPERATIONS, type OperationId } from '../../../src/oicp/operations.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { createClock } from '../../../src/shared/clock.js';
import { Recorder } from '../../../src/shared/recorder.js';
import type { CertSubject } from '../../../src/tls/certs.js';
import { makeTestCerts, type TestCerts } from '../../helpers/certs.js';
import { type PostOptions, post } from '../../helpers/http.js';
import { testWorld } from '../../helpers/world.js';
import { OPERATOR_ID, PROVIDER_ID } from '../../unit/oicp/fixtures/ids.js';
import { VALID } from '../../unit/oicp/fixtures/index.js';

// The partners the OICP fixtures name, so a fixture passes the certificate check and reaches the handler.
const FX_CPO: CertSubject = { key: 'fx-cpo', id: OPERATOR_ID, role: 'CPO', name: 'Fixture CPO' };
const FX_EMP: CertSubject = { key: 'fx-emp', id: PROVIDER_ID, role: 'EMP', name: 'Fixture EMP' };
const BODY_LIMIT = 16 * 1024;

const partnerOf = (op: OperationId): CertSubject => (OPERATIONS[op].sender === 'CPO' ? FX_CPO : FX_EMP);
const pathOf = (op: OperationId): string =>
  fillPath(OPERATIONS[op].hubPaths[0]!, { operatorID: OPERATOR_ID, providerID: PROVIDER_ID });

interface Case {
  status: number;
  code: string;
  options: (op: OperationId) => PostOptions & { body?: unknown };
}

const CASES: Record<string, Case> = {
  'malformed JSON': { status: 400, code: '022', options: () => ({ raw: '{"ProviderID": "DE-DCB",' }) },
  'method other than POST': {
    status: 405,
    code: '022',
    options: () => ({ method: 'GET', contentType: null, raw: '' }),
  },
  'body over the limit': {
    status: 413,
    code: '022',
    options: () => ({ raw: JSON.stringify({ Padding: 'x'.repeat(BODY_LIMIT) }) }),
  },
  'wrong Content-Type': {
    status: 415,
    code: '022',
    options: (op) => ({ contentType: 'text/plain', body: VALID[op].request() }),
  },
  'handler failure': { status: 500, code: '001', options: (op) => ({ body: VALID[op].request() }) },
};

describe("every refusal is in the operation's own response shape, for every operation and every status", () => {
  let hub: Hub;
  let certs: TestCerts;
  beforeAll(async () => {
    certs = await makeTestCerts([FX_CPO, FX_EMP]);
    const partners = [FX_CPO, FX_EMP].map((p) => ({
      key: p.key,
      id: p.id,
      role: p.role,
      name: p.name,
      locked: false,
      subPartnerIds: [],
      serviceTypes: {},
    }));
    const failing = Object.fromEntries(
      OPERATION_IDS.map((op) => [
        op,
        async () => {
          throw new Error(`injected failure in ${op}`);
        },
      ]),
    );
    hub = await startHub({
      world: testWorld({ bodyLimitBytes: BODY_LIMIT, aup: { enabled: false, perMinute: {} } }, partners),
      tls: certs.hub,
      recorder: new Recorder(),
      clock: createClock(1),
      handlers: failing,
    });
  });
  afterAll(async () => {
    await hub.close();
    await certs.cleanup();
  });

  const table = OPERATION_IDS.flatMap((op) => Object.entries(CASES).map(([name, c]) => [op, name, c] as const));
  it.each(table)('%s, %s', async (op, _name, c) => {
    const { body, ...options } = c.options(op);
    const res = await post(`${hub.url}${pathOf(op)}`, body, {
      ca: certs.hub.ca,
      client: certs.partner(partnerOf(op).key).client,
      ...options,
    });
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const answer = res.json;
    expect(answer.StatusCode.Code).toBe(c.code);
    expect(validateMessage(op, 'response', answer).filter((v) => v.severity === 'error')).toEqual([]);
  });
});
