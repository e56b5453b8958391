import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeQuality, createConsoleReporter, writeReport } from '../../../src/harness/report/index.js';
import { exampleReport } from '../../fixtures/report/example.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('writeReport', () => {
  it('writes the four files and points latest at the run folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-report-'));
    const outDir = join(dir, 'run-1');
    const result = await writeReport(exampleReport(), { outDir });
    expect(result.failures).toEqual([]);
    expect((await readdir(outDir)).sort()).toEqual(['index.html', 'junit.xml', 'report.json', 'summary.md']);
    expect(result.latest?.kind).toBe('symlink');
    expect(await readlink(join(dir, 'latest'))).toBe('run-1');
    expect(JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')).reportVersion).toBe(1);
  });

  it('a reporter that crashes loses none of the others and is reported by name', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-sim-report-'));
    const outDir = join(dir, 'run-2');
    const broken = {
      name: 'broken',
      fileName: 'broken.txt',
      render: () => {
        throw new Error('renderer bug');
      },
    };
    const result = await writeReport(exampleReport(), { outDir, reporters: ['json', broken, 'junit'] });
    expect(result.failures).toEqual([
      expect.objectContaining({ reporter: 'broken', message: expect.stringContaining('renderer bug') }),
    ]);
    expect((await readdir(outDir)).sort()).toEqual(['junit.xml', 'report.json']);
  });
});

describe('console reporter', () => {
  it('prints progress, the waiting line with time left, the final table and the files, without colors off a TTY', () => {
    let out = '';
    const report = exampleReport();
    const listener = createConsoleReporter({
      stream: { write: (s: string) => (out += s), isTTY: false },
      env: {},
      now: () => new Date('2026-11-22T10:00:00Z'),
    });
    listener.onEvent({
      type: 'runStarted',
      runId: report.run.id,
      at: report.run.startedAt,
      partner: { id: 'DE*EXA', role: 'CPO' },
      items: report.items.map((i) => ({ id: i.id, title: i.title, section: i.section, mandatory: i.mandatory })),
    });
    listener.onEvent({
      type: 'itemStarted',
      itemId: 'CPO-12',
      title: 'CDR after session end',
      at: report.run.startedAt,
    });
    listener.onEvent({
      type: 'waiting',
      itemId: 'CPO-12',
      what: 'the CDR of session b268…',
      deadline: '2026-11-22T10:00:30Z',
    });
    listener.onEvent({ type: 'itemFinished', itemId: 'CPO-12', outcome: 'passed', durationMs: 2500 });
    listener.onEvent({
      type: 'runFinished',
      report,
      files: [{ reporter: 'html', path: 'reports/x/index.html' }],
      failures: [],
    });
    expect(out).toContain('CPO-12');
    expect(out).toMatch(/the CDR of session b268….*30 s/);
    expect(out).toContain('reports/x/index.html');
    expect(out).not.toContain('\u001b[');
  });

  it('uses colors on a TTY unless NO_COLOR is set', () => {
    const run = (env: Record<string, string>) => {
      let out = '';
      const l = createConsoleReporter({ stream: { write: (s: string) => (out += s), isTTY: true }, env });
      l.onEvent({ type: 'runFinished', report: exampleReport(), files: [], failures: [] });
      return out;
    };
    expect(run({})).toContain('\u001b[');
    expect(run({ NO_COLOR: '1' })).not.toContain('\u001b[');
  });
});

describe('quality figures', () => {
  it('rates remote-start time, CDR delay and EVSE data completeness for a CPO, and measures nothing for an EMP', () => {
    const r = exampleReport();
    const byId = Object.fromEntries(
      computeQuality(r.exchanges, r.settings, { id: r.partner.id, role: 'CPO' }).map((f) => [f.id, f]),
    );
    expect(Object.keys(byId).sort()).toEqual(['cdrUploadDelay', 'evseDataCompleteness', 'remoteStartResponseTime']);
    expect(byId.evseDataCompleteness!.value).toBeLessThan(100);
    expect(byId.remoteStartResponseTime!.limit).toBe(r.settings.timeouts.remoteStartMs);
    for (const f of computeQuality(r.exchanges, r.settings, { id: r.partner.id, role: 'EMP' }))
      expect(f.rating).toBe('notMeasured');
  });
});
