import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/built-cli.js';
import { startTestCsms, type TestCsms } from '../../helpers/csms.js';

/**
 * `hbs-sim run` with a profile's `ocpp:` block: the charge points boot at the CSMS before item 1, a scenario's
 * station action happens at them (no trigger in the profile), and a CSMS that refuses them stops the run, named.
 */

const CARD = '04A1B2C3D4E5F6';
let cwd: string;
let csms: TestCsms | undefined;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-run-ocpp-'));
});
afterEach(async () => {
  await csms?.close();
  csms = undefined;
  await rm(cwd, { recursive: true, force: true });
});

async function files(url: string): Promise<void> {
  await writeFile(
    join(cwd, 'partner.yaml'),
    [
      'version: 1',
      'id: DE*ACM',
      'role: CPO',
      'name: ACME',
      'serviceTypes:',
      '  authorization: { onlineRequest: true, serviceUrl: "http://127.0.0.1:9/oicp" }',
      'testData:',
      '  evseIds: [DE*ACM*E0001*1]',
      `  uids: [${CARD}]`,
      'ocpp:',
      `  url: ${url}`,
      '  chargePoints:',
      '    - { id: CP-0001, connectors: { "1": "DE*ACM*E0001*1" } }',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(cwd, 'swipe.yaml'),
    [
      'version: 1',
      'id: CPO-04',
      'title: a card at a charge point of the CPO',
      'role: CPO',
      'section: authorization',
      'mandatory: true',
      'spec: S',
      'steps:',
      '  - trigger: swipe',
      '    with: { evseId: "{{partner.evseIds[0]}}", uid: "{{partner.uids[0]}}" }',
      '  - wait: 10',
      '',
    ].join('\n'),
  );
}

const run = () =>
  runCli(
    [
      'run',
      'swipe.yaml',
      '--partner',
      'partner.yaml',
      '--time-scale',
      '0.01',
      '--port',
      '0',
      '--no-preflight',
      '--out',
      'reports/ocpp',
    ],
    cwd,
  );

describe('hbs-sim run with charge points over OCPP', () => {
  it('boots them before item 1 and performs the swipe at the charge point, with no swipe trigger', async () => {
    csms = await startTestCsms();
    await files(csms.url);
    const r = await run();
    expect(csms.calls.map((c) => c.action).slice(0, 3)).toEqual([
      'BootNotification',
      'StatusNotification',
      'StatusNotification',
    ]);
    expect(csms.of('Authorize')).toEqual([{ idTag: CARD }]);
    expect(csms.of('StartTransaction')).toEqual([expect.objectContaining({ connectorId: 1, idTag: CARD })]);
    const text = await readFile(join(cwd, 'reports/ocpp/report.json'), 'utf8');
    expect(text, `${r.out}\n${r.err}`).toContain('CP-0001 connector 1: 04A1B2C3D4E5F6 authorized, transaction');
    // The frames are evidence: the boot at run level, the item's own by seq, each answer labelled with its CALL.
    const report = JSON.parse(text) as {
      ocppFrames: Array<{ seq: number; action?: string; type: string; direction: string }>;
      items: Array<{ ocppFrameSeqs?: number[] }>;
    };
    expect(report.ocppFrames.slice(0, 2).map((f) => [f.action, f.type, f.direction])).toEqual([
      ['BootNotification', 'CALL', 'cp→csms'],
      ['BootNotification', 'CALLRESULT', 'csms→cp'],
    ]);
    const own = new Set(report.items[0]!.ocppFrameSeqs);
    expect(report.ocppFrames.filter((f) => own.has(f.seq)).map((f) => `${f.action} ${f.type}`)).toEqual(
      expect.arrayContaining([
        'Authorize CALL',
        'Authorize CALLRESULT',
        'StartTransaction CALL',
        'StartTransaction CALLRESULT',
      ]),
    );
    expect(report.ocppFrames.filter((f) => own.has(f.seq)).some((f) => f.action === 'BootNotification')).toBe(false);
    expect(await readFile(join(cwd, 'reports/ocpp/index.html'), 'utf8')).toContain('<h4>OCPP frames</h4>');
  }, 60_000);

  it('a CSMS that rejects the charge point stops the run before item 1: OCPP_BOOT, exit 3', async () => {
    csms = await startTestCsms({
      answers: {
        BootNotification: () => ({ status: 'Rejected', currentTime: new Date().toISOString(), interval: 60 }),
      },
    });
    await files(csms.url);
    const r = await run();
    expect(r.code, `${r.out}\n${r.err}`).toBe(3);
    expect(r.err).toContain("OCPP_BOOT: the CSMS rejected CP-0001's BootNotification");
    expect(csms.of('Authorize')).toEqual([]);
  }, 60_000);
});
