import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { paintFor } from '../../../src/harness/report/console/colors.js';
import { clip, itemTable } from '../../../src/harness/report/console/table.js';
import { computeQuality, createConsoleReporter, writeReport } from '../../../src/harness/report/index.js';
import { describeCheck } from '../../../src/harness/report/render/text.js';
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
      timeScale: 1,
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

describe('console table notes', () => {
  it('cuts a long note at a word boundary with an ellipsis, never mid-word', () => {
    const note = 'StatusCode.Code of the answer: expected "000", got "HTTP 500 (body: java.lang.NullPointerException)"';
    const cut = clip(note, 70);
    expect(cut.length).toBeLessThanOrEqual(70);
    expect(cut).toBe('StatusCode.Code of the answer: expected "000", got "HTTP 500 (body:…');
    expect(note.startsWith(cut.slice(0, -1))).toBe(true);
    expect(clip('start the CPO backend or fix its Service URL', 26)).toBe('start the CPO backend or…');
    expect(clip('short', 70)).toBe('short');
  });

  it('cuts a single word longer than half the column where it must', () => {
    const pointer = `unknown /${'OperatorEvseData/'.repeat(6)}Colour`;
    expect(clip(pointer, 40)).toBe(`${pointer.slice(0, 39)}…`);
  });

  it('the final table of a failed item shows its reason cut at a word, never half a word', () => {
    const report = exampleReport();
    const item = report.items.find((i) => i.outcome === 'failed')!;
    item.steps[0]!.checks.unshift({
      id: 'status-code',
      title: 'StatusCode.Code of the answer',
      outcome: 'failed',
      expected: '000',
      actual: 'HTTP 500 (body: <html><head><title>Internal Server Error</title></head></html>)',
    });
    const row = itemTable([item], paintFor(false)).at(-1)!;
    const note = row.slice(row.indexOf('StatusCode'));
    expect(note.endsWith('…')).toBe(true);
    const words = note.slice(0, -1).split(' ');
    const full = describeCheck(item.steps[0]!.checks[0]!).split(' ');
    // Every word shown is a whole word of the reason.
    expect(words.every((w, i) => w === full[i])).toBe(true);
  });
});
