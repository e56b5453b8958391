import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certify, worldWithPartner } from '../../../src/app/certify.js';
import { loadWorld } from '../../../src/config/world/load.js';
import type { World } from '../../../src/config/world/types.js';
import type { Report } from '../../../src/harness/report/model.js';
import { defaultScenariosDir, knownActors, loadScenarios } from '../../../src/harness/scenario/load.js';
import { loadProfile } from '../../../src/harness/scenario/profile.js';
import { silentLogger } from '../../../src/shared/log.js';
import { post } from '../../helpers/http.js';
import { cdr, evseRecord, pushEvseData } from '../../helpers/messages.js';

/**
 * ChargingNotifications are OPTIONAL for a CPO and Progress is a "can" (OICP 2.3 CPO, 02 Services and Operations,
 * eRoamingChargingNotifications): a CPO backend we did not write (plain HTTP, calling the hub with the client
 * certificate the run made for it) that answers remote start and stop and sends its CDR, with or without Start and
 * End notifications and never a Progress, runs the catalogue's own CPO-10 and CPO-11.
 */

const OPERATOR = 'DE*ACM';
const EVSES = ['DE*ACM*E0001*1', 'DE*ACM*E0002*1', 'DE*ACM*E0003*1', 'DE*ACM*E0004*1', 'DE*ACM*E0005*1'];
let cwd: string;
let world: World;
let backend: http.Server;
let hub: { url: string; ca: string; cert: string; key: string } | undefined;
/** Whether the backend sends Start and End notifications (never Progress). */
let notifies = false;

async function callHub(path: string, body: unknown): Promise<number> {
  const h = hub!;
  const { status } = await post(`${h.url}${path}`, body, { ca: h.ca, client: { cert: h.cert, key: h.key } });
  return status;
}

const sessions = new Map<string, { evseId: string; start: Date }>();
const notification = (Type: 'Start' | 'End', SessionID: string): Record<string, unknown> => {
  const s = sessions.get(SessionID)!;
  return {
    Type,
    SessionID,
    EvseID: s.evseId,
    OperatorID: OPERATOR,
    ChargingStart: s.start.toISOString(),
    ...(Type === 'End' ? { ChargingEnd: new Date().toISOString() } : {}),
  };
};

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-optional-notifications-'));
  const loaded = await loadWorld();
  world = { ...loaded, hub: { ...loaded.hub, port: 0 } };
  backend = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path === '/test/push-evse-data') {
        void callHub(
          `/evsepush/v23/operators/${encodeURIComponent(OPERATOR)}/data-records`,
          pushEvseData(
            OPERATOR,
            EVSES.map((id) => evseRecord(id)),
          ),
        ).then((status) => res.writeHead(status === 200 ? 200 : 502).end());
        return;
      }
      const body = JSON.parse(text) as { SessionID: string; EvseID: string };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Result: true, StatusCode: { Code: '000' }, SessionID: body.SessionID }));
      if (path.includes('authorize-remote/start')) {
        sessions.set(body.SessionID, { evseId: body.EvseID, start: new Date() });
        if (notifies)
          setTimeout(
            () => void callHub('/notificationmgmt/v11/charging-notifications', notification('Start', body.SessionID)),
            100,
          );
      } else if (path.includes('authorize-remote/stop')) {
        const s = sessions.get(body.SessionID)!;
        const end = new Date().toISOString();
        const record = {
          ...cdr(body.SessionID, s.evseId, s.start, 1.5),
          SessionStart: s.start.toISOString(),
          ChargingStart: s.start.toISOString(),
          ChargingEnd: end,
          SessionEnd: end,
        };
        void (async () => {
          if (notifies)
            await callHub('/notificationmgmt/v11/charging-notifications', notification('End', body.SessionID));
          await callHub(`/cdrmgmt/v22/operators/${encodeURIComponent(OPERATOR)}/charge-detail-record`, record);
        })();
      }
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise<void>((r) => backend.close(() => r()));
  await rm(cwd, { recursive: true, force: true });
});

async function run(name: string, ids: string[], declaresNotifications: boolean): Promise<Report> {
  const port = (backend.address() as AddressInfo).port;
  const profilePath = join(cwd, `${name}-partner.yaml`);
  await writeFile(
    profilePath,
    [
      'version: 1',
      `id: ${OPERATOR}`,
      'role: CPO',
      'name: ACME',
      'serviceTypes:',
      `  authorization: { onlineRequest: true, serviceUrl: "http://127.0.0.1:${port}/oicp" }`,
      '  evseData: { onlineRequest: false }',
      ...(declaresNotifications ? ['  chargingNotifications: { onlineRequest: false }'] : []),
      'testData:',
      `  evseIds: [${EVSES.join(', ')}]`,
      'triggers:',
      `  pushEvseData: { http: { url: "http://127.0.0.1:${port}/test/push-evse-data" } }`,
      '',
    ].join('\n'),
  );
  const scenarios = (await loadScenarios([defaultScenariosDir()], knownActors(world), cwd)).filter((s) =>
    ids.includes(s.id),
  );
  const profile = await loadProfile(profilePath);
  const result = await certify({
    world: worldWithPartner(world, profile),
    profile,
    scenarios,
    cwd,
    timeScale: 0.01,
    logger: silentLogger(),
    progress: { onEvent: () => undefined, failures: () => [] },
    outDir: join(cwd, name),
    reporters: ['json'],
    latest: false,
    onHub: (url, paths) => {
      hub = {
        url,
        ca: readFileSync(paths.ca.cert, 'utf8'),
        cert: readFileSync(paths.partnerClient.cert, 'utf8'),
        key: readFileSync(paths.partnerClient.key, 'utf8'),
      };
    },
  });
  return result.report;
}

describe('a CPO that sends no charging notifications', () => {
  it('passes remote stop (CPO-10) on its answers and its CDR, and CPO-11 is skipped, when its profile does not declare chargingNotifications', async () => {
    notifies = false;
    const report = await run('none', ['CPO-10', 'CPO-11'], false);
    const byId = new Map(report.items.map((i) => [i.id, i]));
    expect(
      byId.get('CPO-10')?.outcome,
      JSON.stringify(byId.get('CPO-10')?.steps.filter((s) => s.outcome !== 'passed')),
    ).toBe('passed');
    expect(
      byId
        .get('CPO-10')
        ?.steps.filter((s) => s.title.includes('left out: the partner profile declares no chargingNotifications')),
    ).toHaveLength(2);
    // Where no Start notification says the charge has started, the item gives it time before it ends it.
    expect(
      byId.get('CPO-10')?.steps.find((s) => s.title.startsWith('No Start notification to wait for')),
    ).toMatchObject({ outcome: 'passed', title: 'No Start notification to wait for; time for the charge to start' });
    expect(byId.get('CPO-11')).toMatchObject({ outcome: 'skipped', mandatory: false });
    expect(report.summary.verdict).toBe('passed');
  }, 60_000);
});

describe('a CPO that sends Start and End but no Progress', () => {
  it('passes CPO-11 with a warning naming the missing Progress, not a failure', async () => {
    notifies = true;
    const report = await run('no-progress', ['CPO-11'], true);
    const item = report.items[0]!;
    expect(item.outcome, JSON.stringify(item.steps.filter((s) => s.outcome !== 'passed'))).toBe('passed');
    expect(item.steps.map((s) => s.title)).not.toContain(
      'No Start notification to wait for; time for the charge to start',
    );
    expect(item.warnings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^no ChargingNotification from the partner within 5 s \(400 s protocol time at --time-scale 0.01\) \(Progress\)/,
        ),
        specRef: expect.stringContaining('eRoamingChargingNotifications'),
      }),
    ]);
  }, 60_000);
});
