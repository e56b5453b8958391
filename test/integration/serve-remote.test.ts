import { type ChildProcess, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlRouter } from '../../src/partners/virtual/control.js';
import { builtBin } from '../helpers/built-cli.js';
import { post, type RawResponse } from '../helpers/http.js';
import { pullEvseData } from '../helpers/messages.js';

/**
 * `hbs-sim serve` reached from elsewhere: on every interface with an extra certificate name (as a CI service is
 * called), the hub still answers mTLS at 127.0.0.1 with the virtual actors running, its certificate names the extra
 * name, and /_sim and /monitor let a caller on another address in with the control token only. "Another address" is
 * this machine's own non-loopback address, so the hub sees a caller that is not 127.0.0.1 and no traffic leaves it.
 */
const BIN = builtBin();
const TOKEN = 'k7Qm2vX9pL4sT8wZ1yB6nR3c';
const EVSE = 'DE*VCP*E0001*1';

/** A non-loopback IPv4 address of this machine, or undefined where it has none. */
const OWN_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
if (!OWN_ADDRESS) console.warn('serve-remote: no non-loopback IPv4 address here; the remote-caller tests are skipped');

let cwd: string;
let child: ChildProcess;
let out = '';
let port = 0;
let ca = '';

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-serve-remote-'));
  child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--hub-name',
      'hbs',
      '--control-token',
      TOKEN,
      '--time-scale',
      '0.01',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 40_000;
  while (!out.includes('Press Ctrl-C') && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  port = Number(out.match(/listening: https:\/\/0\.0\.0\.0:(\d+)\//)?.[1]);
  ca = await readFile(join(cwd, 'certs', 'ca.crt'), 'utf8');
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
  await rm(cwd, { recursive: true, force: true });
});

/** A call from this machine's non-loopback address, by the name the certificate carries for it. */
function remote(path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return post(`https://${OWN_ADDRESS}:${port}${path}`, undefined, {
    ca,
    servername: 'hbs',
    method: options.method ?? 'GET',
    contentType: options.method === 'POST' ? 'application/json' : null,
    headers: { host: `hbs:${port}`, ...options.headers },
  });
}

describe('serve --host 0.0.0.0 --hub-name hbs --control-token', () => {
  it('starts with the virtual actors, prints URLs that work and answers an mTLS call at 127.0.0.1', async () => {
    expect(port).toBeGreaterThan(0);
    expect(out).toContain(`from this machine: https://127.0.0.1:${port}/api/oicp`);
    expect(out).toContain(`as hbs: https://hbs:${port}/api/oicp`);
    expect(out).toContain('Virtual CPO DE*VCP (virtual-cpo)');
    expect(out).toContain('/monitor?token=<the control token>');
    const client = {
      cert: await readFile(join(cwd, 'certs/partners/my-emp/client.crt'), 'utf8'),
      key: await readFile(join(cwd, 'certs/partners/my-emp/client.key'), 'utf8'),
    };
    const pull = await post(
      `https://127.0.0.1:${port}/api/oicp/evsepull/v23/providers/DE-MYE/data-records`,
      pullEvseData('DE-MYE'),
      { ca, client },
    );
    expect(pull.status).toBe(200);
    // The virtual CPO pushed its EVSEs through the hub at startup: the pull sees them.
    expect(pull.text).toContain(EVSE);
  });

  it("puts the --hub-name in the hub's server certificate", async () => {
    const cert = new X509Certificate(await readFile(join(cwd, 'certs/hub/server.crt'), 'utf8'));
    expect(cert.subjectAltName).toContain('DNS:hbs');
    expect(cert.checkHost('hbs', { subject: 'never' })).toBe('hbs');
  });

  it('answers a loopback caller on /_sim and /monitor without the token', async () => {
    const sim = await post(`https://127.0.0.1:${port}/_sim/stations`, undefined, {
      ca,
      method: 'GET',
      contentType: null,
    });
    expect(sim.status).toBe(200);
    const monitor = await post(`https://127.0.0.1:${port}/monitor/api/exchanges`, undefined, {
      ca,
      method: 'GET',
      contentType: null,
    });
    expect(monitor.status).toBe(200);
  });

  it.skipIf(!OWN_ADDRESS)('refuses a caller on another address without the token: 401 naming the fix', async () => {
    for (const path of ['/_sim/stations', '/monitor', '/monitor/api/exchanges']) {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}x` }] as Record<string, string>[]) {
        const res = await remote(path, { headers });
        expect(res.status, path).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="hbs-sim"');
        expect(res.json.error.code).toBe('CONTROL_TOKEN');
        expect(res.json.error.message).toContain('Authorization: Bearer <token>');
        expect(res.json.error.message).toContain('--control-token');
      }
    }
  });

  it.skipIf(!OWN_ADDRESS)('lets a caller on another address drive /_sim with the bearer token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const stations = await remote('/_sim/stations', { headers: auth });
    expect(stations.status).toBe(200);
    expect(stations.text).toContain(EVSE);
    const plug = await remote(`/_sim/evses/${encodeURIComponent(EVSE)}/plug`, { method: 'POST', headers: auth });
    expect(plug.status, plug.text).toBe(200);
  });

  it.skipIf(!OWN_ADDRESS)(
    'opens the monitor for a browser elsewhere: ?token= sets an HttpOnly cookie and redirects, the cookie opens the page, its API and its stream',
    async () => {
      const first = await remote(`/monitor?token=${TOKEN}`);
      expect(first.status).toBe(303);
      expect(first.headers.location).toBe('/monitor');
      const setCookie = first.headers['set-cookie']?.[0] ?? '';
      expect(setCookie).toMatch(
        new RegExp(`^hbs_sim_monitor_${port}=[^;]+; Path=/monitor; HttpOnly; SameSite=Strict; Secure$`),
      );
      expect(setCookie).not.toContain(TOKEN);
      const cookie = setCookie.split(';')[0]!;
      const page = await remote('/monitor', { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      const api = await remote('/monitor/api/exchanges', { headers: { cookie } });
      expect(api.status).toBe(200);
      expect(Array.isArray(api.json.items)).toBe(true);
      // The page's EventSource sends the same cookie: the stream answers with an event stream.
      const stream = await streamHead(`/monitor/api/stream`, cookie);
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      // The cookie opens the read-only monitor, never /_sim.
      expect((await remote('/_sim/stations', { headers: { cookie } })).status).toBe(401);
    },
  );
});

/** The status and content type of an SSE stream, then the connection is dropped. */
async function streamHead(path: string, cookie: string): Promise<{ status: number; contentType: string }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      `https://${OWN_ADDRESS}:${port}${path}`,
      { ca, servername: 'hbs', headers: { host: `hbs:${port}`, cookie, accept: 'text/event-stream' }, agent: false },
      (res) => {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']) });
        res.destroy();
        req.destroy();
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('without --control-token', () => {
  it.skipIf(!OWN_ADDRESS)(
    'a caller on another address keeps getting 403 LOOPBACK_ONLY, even with a token',
    async () => {
      const app = express();
      app.use(
        '/_sim',
        controlRouter(() => undefined, { host: '0.0.0.0' }),
      );
      const server = http.createServer(app);
      await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
      try {
        const at = `http://${OWN_ADDRESS}:${(server.address() as AddressInfo).port}/_sim/stations`;
        const res: RawResponse = await post(at, undefined, {
          method: 'GET',
          contentType: null,
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(res.status).toBe(403);
        expect(res.json.error.code).toBe('LOOPBACK_ONLY');
        expect(res.json.error.message).toContain('--control-token');
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    },
  );
});
