import { once } from 'node:events';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../../helpers/http.js';
import { expectHubMessagesValid, startTestHub, type TestHub } from '../../helpers/hub.js';
import { evseRecord, pushEvseData } from '../../helpers/messages.js';

const PATH = '/evsepush/v23/operators/DE*CPA/data-records';
const BODY = pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')]);

describe('hub identity over mutual TLS', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    expectHubMessagesValid(t.recorder.all());
    await t.close();
  });

  it('accepts a partner presenting its own client certificate', async () => {
    const res = await t.call('cpo-a', PATH, BODY);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ Result: true, StatusCode: { Code: '000' } });
  });

  it('refuses TLS renegotiation, so a connection keeps the certificate it was identified by', async () => {
    const material = t.certs.partner('cpo-a').client;
    const socket = tls.connect({
      host: '127.0.0.1',
      port: t.hub.port,
      ca: t.certs.hub.ca,
      cert: material.cert,
      key: material.key,
      maxVersion: 'TLSv1.2',
      servername: 'localhost',
    });
    try {
      await once(socket, 'secureConnect');
      const outcome = await new Promise<string>((resolve) => {
        socket.once('error', (e) => resolve(`error: ${e.message}`));
        socket.once('close', () => resolve('closed'));
        const asked = socket.renegotiate({ rejectUnauthorized: false }, (e) =>
          resolve(e ? `error: ${e.message}` : 'renegotiated'),
        );
        if (!asked) resolve('not sent');
        // The server takes up the renegotiation when the connection carries data.
        socket.write(`POST ${t.hub.url}${PATH} HTTP/1.1\r\nhost: localhost\r\ncontent-length: 0\r\n\r\n`);
      });
      expect(outcome).not.toBe('renegotiated');
    } finally {
      socket.destroy();
    }
  });

  it('refuses a request without a client certificate with 017', async () => {
    const res = await post(`${t.hub.url}${PATH}`, BODY, { ca: t.certs.hub.ca });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '017' } });
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/no client certificate/);
  });

  it('refuses a client certificate issued by another CA with 017', async () => {
    const res = await post(`${t.hub.url}${PATH}`, BODY, { ca: t.certs.hub.ca, client: t.certs.foreignCa.client });
    expect(res.status).toBe(403);
    expect(res.json.StatusCode.Code).toBe('017');
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/hub CA/);
  });

  it('answers 017 when the path OperatorID is not the certificate identity', async () => {
    const res = await t.call(
      'cpo-a',
      '/evsepush/v23/operators/DE*CPX/data-records',
      pushEvseData('DE*CPX', [evseRecord('DE*CPX*E1')]),
    );
    expect(res.json).toMatchObject({ Result: false, StatusCode: { Code: '017' } });
    expect(res.json.StatusCode.AdditionalInfo).toContain('path {operatorID} says DE*CPX');
  });

  it('answers 017 when the body OperatorID is not the certificate identity', async () => {
    const res = await t.call('cpo-a', PATH, pushEvseData('DE*CPX', [evseRecord('DE*CPX*E1')]));
    expect(res.json.StatusCode.Code).toBe('017');
    expect(res.json.StatusCode.AdditionalInfo).toContain('/OperatorEvseData/OperatorID');
  });

  it('treats DE*CPA and DECPA as the same OperatorID', async () => {
    const res = await t.call('cpo-a', '/evsepush/v23/operators/DECPA/data-records', BODY);
    expect(res.json.StatusCode.Code).toBe('000');
  });

  it('answers 300 for a valid certificate of a partner the hub does not know', async () => {
    const ghost = await post(
      `${t.hub.url}/evsepush/v23/operators/DE*GHO/data-records`,
      pushEvseData('DE*GHO', [evseRecord('DE*GHO*E1')]),
      {
        ca: t.certs.hub.ca,
        client: t.certs.partner('ghost').client,
      },
    );
    expect(ghost.json.StatusCode.Code).toBe('300');
  });

  it('answers 017 when a CPO calls an EMP operation', async () => {
    const res = await t.call('cpo-a', '/evsepull/v23/providers/DE*CPA/data-records?page=0', {
      ProviderID: 'DE*CPA',
      GeoCoordinatesResponseFormat: 'Google',
    });
    expect(res.json.StatusCode.Code).toBe('017');
    expect(res.json.StatusCode.AdditionalInfo).toMatch(/sent by a EMP/);
  });

  it('records every refusal as an exchange with the partner it claimed', () => {
    const refused = t.recorder.all().filter((x) => x.statusCode === '017');
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused.every((x) => x.violations.some((v) => v.kind === 'protocol'))).toBe(true);
  });
});
