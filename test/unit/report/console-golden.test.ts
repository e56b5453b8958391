import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createConsoleReporter } from '../../../src/harness/report/index.js';
import { type ExampleOptions, exampleReport } from '../../fixtures/report/example.js';
import { eventsFor } from './console-events.js';

/**
 * The console output of a whole run (progress, waiting lines, final table, verdict, quality, files) as a golden
 * file, like the file renderers in renderers.test.ts: two runs at different times, ports and IDs must print the same
 * text once the run ID is masked. Regenerate: UPDATE_GOLDEN=1 npx vitest run -c test/vitest.config.ts test/unit/report
 */
const GOLDEN = fileURLToPath(new URL('../../fixtures/report/golden/console.txt', import.meta.url));

function print(options: ExampleOptions & { runId: string }, tty: boolean): string {
  const report = exampleReport(options);
  const files = ['report.json', 'junit.xml', 'index.html', 'summary.md'].map((name) => ({
    reporter: name,
    path: `reports/${options.runId}/${name}`,
  }));
  let out = '';
  // The clock stands 3 s after each item's start, so every 45 s wait prints "42 s left".
  let now = Date.parse(report.run.startedAt);
  const reporter = createConsoleReporter({
    stream: { write: (s: string) => (out += s), isTTY: tty },
    env: {},
    now: () => new Date(now),
  });
  for (const event of eventsFor(report, files)) {
    if (event.type === 'itemStarted') now = Date.parse(event.at) + 3_000;
    reporter.onEvent(event);
  }
  return out.split(options.runId).join('<run-id>');
}

const runA = { startedAt: new Date('2026-11-22T10:00:00.000Z'), partnerPort: 9443, runId: '20261122T100000Z-example' };
const runB = { startedAt: new Date('2027-03-01T23:59:58.123Z'), partnerPort: 40123, runId: '20270301T235958Z-other' };

describe('console reporter output', () => {
  it('matches its golden file, whatever the run time, ports and run ID', async () => {
    const a = print(runA, false);
    expect(print(runB, false)).toBe(a);
    if (process.env.UPDATE_GOLDEN) await writeFile(GOLDEN, a);
    expect(a).toBe(await readFile(GOLDEN, 'utf8'));
  });

  it('states the time scale at the start and again by the quality figures; below 1, that they are not representative', () => {
    const note = 'Time scale 0.02 (protocol time compressed 50×): latency and quality figures are not representative.';
    const compressed = print({ ...runA, timeScale: 0.02 }, false).split('\n');
    expect(compressed[0]).toBe(
      'hbs-sim run <run-id>: DE*EXA (CPO), 9 checklist items, time scale 0.02 (protocol time compressed 50×)',
    );
    expect(compressed[1]).toContain(note);
    const quality = compressed.indexOf('Quality figures:');
    expect(compressed[quality - 1]).toContain(note);
    const real = print(runA, false).split('\n');
    expect(real[0]).toMatch(/, time scale 1 \(real protocol time\)$/);
    expect(real[1]).toMatch(/^▶ /);
    expect(real[real.indexOf('Quality figures:') - 1]).toContain('latency and quality figures are representative');
  });

  it('redraws the waiting line in place on a TTY instead of printing it again', () => {
    const out = print(runA, true);
    expect(out).toContain('\r\u001b[2K');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI escapes, which start with ESC
    expect(out.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')).toContain('42 s left');
  });
});
