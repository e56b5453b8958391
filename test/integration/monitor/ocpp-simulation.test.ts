import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulation, startSimulation } from '../../../src/app/simulation.js';
import { FrameLog } from '../../../src/ocpp/frames.js';
import { silentLogger } from '../../../src/shared/log.js';
import { loadHubTls } from '../../../src/tls/load.js';
import { testWorld } from '../../helpers/world.js';
import { eventually, get, openSse } from './monitor-client.js';

/**
 * What `hbs-sim run` starts for a CPO profile with charge points (app/simulation.ts, handed the run's frame log by
 * certify): the monitor shows the frames over HTTPS on the hub's own port, and the transcript has a line per frame.
 */

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-ocpp-monitor-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

async function simulation(ocppFrames?: FrameLog): Promise<{ sim: Simulation; ca: string; transcript: string }> {
  const transcript = join(cwd, `transcript-${ocppFrames ? 'ocpp' : 'none'}.jsonl`);
  const sim = await startSimulation({
    world: testWorld({ certsDir: 'certs', transcriptPath: transcript }),
    cwd,
    timeScale: 1,
    logger: silentLogger(),
    virtual: false,
    ...(ocppFrames ? { ocppFrames } : {}),
  });
  return { sim, ca: loadHubTls(sim.certsDir).ca, transcript };
}

describe('a simulation with charge points', () => {
  it('shows their frames in the monitor (page, list, detail, stream) and writes each to the transcript', async () => {
    const frames = new FrameLog();
    const { sim, ca, transcript } = await simulation(frames);
    const api = (path: string) => get(`${sim.hub.origin}/monitor/api/ocpp${path}`, ca);
    try {
      frames.add('CP-0001', 'cp→csms', '[2,"b1","BootNotification",{"chargePointVendor":"v","chargePointModel":"m"}]');
      frames.add(
        'CP-0001',
        'csms→cp',
        '[3,"b1",{"status":"Accepted","currentTime":"2026-12-02T10:00:00Z","interval":300}]',
      );

      const page = await get(`${sim.hub.origin}/monitor`, ca);
      expect(page.text).toContain('id="ocpp-tab"');
      const list = await api('');
      expect(list.status).toBe(200);
      expect(list.json).toMatchObject({ enabled: true, total: 2, newestSeq: 2 });
      expect(list.json.items.map((r: { type: string }) => r.type)).toEqual(['CALLRESULT', 'CALL']);
      expect((await api('/2')).json).toMatchObject({ frame: { seq: 2, action: 'BootNotification' }, pair: { seq: 1 } });

      const stream = await openSse(`${sim.hub.origin}/monitor/api/ocpp/stream?after=1`, ca);
      try {
        await stream.waitFor((e) => e.id === '2');
        frames.add(
          'CP-0001',
          'cp→csms',
          '[2,"s1","StatusNotification",{"connectorId":1,"status":"Available","errorCode":"NoError"}]',
        );
        const live = await stream.waitFor((e) => e.id === '3');
        expect(live.event).toBe('ocpp');
        expect(JSON.parse(live.data)).toMatchObject({ chargePointId: 'CP-0001', action: 'StatusNotification' });
      } finally {
        stream.close();
      }
    } finally {
      await sim.close();
    }
    // Closed: the transcript is complete, and the frame log (which outlives the run for its report) is let go.
    frames.add('CP-0001', 'cp→csms', '[2,"h1","Heartbeat",{}]');
    // The stream's listener goes when the server sees its socket close, a tick or so after the client closed it.
    await eventually(() => frames.listenerCount('frame') === 0);
    const lines = (await readFile(transcript, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ocpp = lines.filter((l) => l.kind === 'ocpp');
    expect(ocpp.map((l) => [l.seq, l.type, l.action])).toEqual([
      [1, 'CALL', 'BootNotification'],
      [2, 'CALLRESULT', 'BootNotification'],
      [3, 'CALL', 'StatusNotification'],
    ]);
    expect(ocpp[0]).toMatchObject({ chargePointId: 'CP-0001', direction: 'cp→csms', messageId: 'b1' });
    expect(lines.filter((l) => l.kind === undefined)).toEqual([]);
  });
});

describe('a simulation without charge points (serve, an EMP run)', () => {
  it('answers the OCPP tab that there are none, and writes no frame lines', async () => {
    const { sim, ca, transcript } = await simulation();
    try {
      const list = await get(`${sim.hub.origin}/monitor/api/ocpp`, ca);
      expect(list.json).toMatchObject({ enabled: false, items: [] });
      // The page script shows the tab's note from `enabled: false` (test/e2e/monitor.spec.ts sees it in Chromium).
      expect((await get(`${sim.hub.origin}/monitor`, ca)).text).toContain('id="ocpp-tab"');
    } finally {
      await sim.close();
    }
    expect(await readFile(transcript, 'utf8')).toBe('');
  });
});
