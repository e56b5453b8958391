import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/built-cli.js';

/**
 * `hbs-sim demo --role cpo --ocpp`: the reference CPO certified through its CSMS. Its profile names charge points
 * and no station trigger; the items that act at a station (a card, a status change, a fault) pass with what the
 * charge points sent, and the report holds those frames.
 */

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-demo-ocpp-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

const demo = (args: string[]) => runCli(['demo', ...args], cwd);

describe('hbs-sim demo --ocpp', () => {
  it('passes the station items of the CPO catalogue through OCPP charge points, with no station trigger', async () => {
    const r = await demo(['--role', 'cpo', '--ocpp', '--grep', '^CPO-0[4-7]|^CPO-08c|^CPO-11b', '--out', 'out']);
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    const profile = await readFile(join(cwd, 'out/cpo/partner-profile.yaml'), 'utf8');
    expect(profile).toMatch(/^ocpp:\n {2}url: ws:\/\/127\.0\.0\.1:\d+\/ocpp\n/m);
    expect(profile).not.toMatch(/^ {2}(swipe|setStatus|reportError|stopCharging):/m);
    const report = JSON.parse(await readFile(join(cwd, 'out/cpo/report.json'), 'utf8')) as {
      items: Array<{ id: string; outcome: string; ocppFrameSeqs?: number[] }>;
      ocppFrames: Array<{ seq: number; action?: string; type: string; payload?: { status?: string } }>;
    };
    expect(report.items.map((i) => [i.id, i.outcome])).toEqual([
      ['CPO-04', 'passed'],
      ['CPO-05', 'passed'],
      ['CPO-06', 'passed'],
      ['CPO-07', 'passed'],
      ['CPO-08c', 'passed'],
      ['CPO-11b', 'passed'],
    ]);
    const actions = (id: string) => {
      const seqs = new Set(report.items.find((i) => i.id === id)?.ocppFrameSeqs);
      return report.ocppFrames
        .filter((f) => seqs.has(f.seq) && f.type === 'CALL')
        .map((f) => (f.action === 'StatusNotification' ? `Status ${f.payload?.status}` : f.action));
    };
    // A card at the charge point: its Authorize is the CPO's AuthorizeStart; an unknown card starts nothing.
    expect(actions('CPO-04')).toEqual(expect.arrayContaining(['Authorize', 'StartTransaction', 'StopTransaction']));
    expect(actions('CPO-05')).toEqual(['Status Preparing', 'Authorize', 'Status Available']);
    // Another customer's card during the charge is an Authorize (the CPO's AuthorizeStop, refused): the charge goes on.
    expect(actions('CPO-06').filter((a) => a === 'StopTransaction')).toHaveLength(1);
    expect(actions('CPO-08c')).toEqual(expect.arrayContaining(['Status Unavailable']));
    expect(actions('CPO-11b')).toEqual(expect.arrayContaining(['Status Faulted']));
    // HBS's remote start reaches the charge point before the CPO answers it; the frames the CSMS sent are there too.
    const seqs = new Set(report.items.find((i) => i.id === 'CPO-07')?.ocppFrameSeqs);
    expect(report.ocppFrames.filter((f) => seqs.has(f.seq)).map((f) => `${f.action} ${f.type}`)).toEqual(
      expect.arrayContaining([
        'RemoteStartTransaction CALL',
        'RemoteStartTransaction CALLRESULT',
        'StartTransaction CALL',
      ]),
    );
  }, 120_000);
});
