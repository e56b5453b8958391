import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import {
  type Report,
  renderHtml,
  renderJson,
  renderJUnit,
  renderMarkdown,
  renderSuiteIndex,
  timeScaleStatement,
} from '../../../src/harness/report/index.js';
import { evaluate } from '../../../src/harness/scenario/checks.js';
import type { Exchange } from '../../../src/shared/exchange.js';
import { exampleReport, HOSTILE } from '../../fixtures/report/example.js';

/**
 * Golden files of every renderer, with what differs between runs masked: timestamps, ports and the run ID. Two
 * example runs at different times, ports and IDs must mask to the same bytes, which proves the masking is complete.
 * Regenerate after an intended change: UPDATE_GOLDEN=1 npx vitest run -c test/vitest.config.ts test/unit/report
 */
const GOLDEN = (name: string) => fileURLToPath(new URL(`../../fixtures/report/golden/${name}`, import.meta.url));
const XSD = fileURLToPath(new URL('../../fixtures/junit/junit.xsd', import.meta.url));

function mask(text: string, runId: string): string {
  return text
    .split(runId)
    .join('<run-id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d(:|-)\d\d\1\d\d(?:[.-]\d{3})?Z?/g, '<time>')
    .replace(/(127\.0\.0\.1|localhost):\d+/g, '$1:<port>');
}

const runA = {
  startedAt: new Date('2026-11-22T10:00:00.000Z'),
  partnerPort: 9443,
  hubPort: 8443,
  runId: '20261122T100000Z-example',
};
const runB = {
  startedAt: new Date('2027-03-01T23:59:58.123Z'),
  partnerPort: 40123,
  hubPort: 41999,
  runId: '20270301T235958Z-other',
};

const RENDERERS: Array<[string, (r: Report) => string]> = [
  ['report.json', renderJson],
  ['junit.xml', renderJUnit],
  ['summary.md', renderMarkdown],
  ['index.html', renderHtml],
];

describe.each(RENDERERS)('%s', (file, render) => {
  it('matches its golden file with times, ports and run ID masked, whatever they were', async () => {
    const a = mask(render(exampleReport(runA)), runA.runId);
    const b = mask(render(exampleReport(runB)), runB.runId);
    expect(b).toBe(a);
    if (process.env.UPDATE_GOLDEN) await writeFile(GOLDEN(file), a);
    expect(a).toBe(await readFile(GOLDEN(file), 'utf8'));
  });

  it('is a pure function: the same model gives the same bytes', () => {
    const report = exampleReport();
    expect(render(report)).toBe(render(structuredClone(report)));
  });
});

describe('a run at another time scale', () => {
  it('prints the latency limit as the run used it, with the protocol time, in every file', () => {
    const report = exampleReport();
    report.settings.timeScale = 0.05;
    const item = report.items.find((i) => i.id === 'CPO-07')!;
    const step = item.steps.find((st) => st.checks.some((c) => c.id === 'answer-time'))!;
    const answer = report.exchanges.find((x) => x.id === 'x00003') as Exchange;
    // The check as the engine makes it for a 60 s limit at --time-scale 0.05, on the 12.5 s answer.
    const [latency] = evaluate(
      { latencyMs: 60_000 },
      answer,
      'response',
      {},
      {
        timeScale: 0.05,
        deadline: (ms) => Math.round(ms * 0.05),
      },
    );
    step.checks = [latency!, ...step.checks.filter((c) => c.id !== 'answer-time')];
    expect(latency).toMatchObject({ outcome: 'failed', actual: '12500 ms' });
    const limit = '3 s (60 s protocol time at --time-scale 0.05)';
    expect(JSON.parse(renderJson(report)).items.find((i: { id: string }) => i.id === 'CPO-07').steps).toContainEqual(
      expect.objectContaining({
        checks: expect.arrayContaining([expect.objectContaining({ expected: `≤ ${limit}` })]),
      }),
    );
    expect(renderJUnit(report)).toContain(
      `answered within ${limit}: expected &quot;≤ ${limit}&quot;, got &quot;12500 ms&quot;`,
    );
    const md = renderMarkdown(report);
    expect(md).toContain(`**answered within ${limit}**`);
    expect(md).toContain('Limits read as the real time the partner had, then the protocol time they stand for');
    expect(renderHtml(report)).toContain(`answered within ${limit}`);
  });
});

describe('the time scale', () => {
  const at = (timeScale: number): Report => exampleReport({ timeScale });
  const NOT_REPRESENTATIVE =
    'Time scale 0.02 (protocol time compressed 50×): latency and quality figures are not representative.';

  it('below 1, every file states the scale and that latency and quality figures are not representative', () => {
    const report = at(0.02);
    const settings = JSON.parse(renderJson(report)).settings;
    expect(settings).toMatchObject({ timeScale: 0.02, representative: false });
    expect(settings.timeScaleNote).toContain(NOT_REPRESENTATIVE);
    expect(settings.timeScaleNote).toContain('a 60 s limit was 2.2 s, 1 s of it for transport and processing');

    const junit = renderJUnit(report);
    const suites = junit.match(/<testsuite /g)!.length;
    expect(junit.match(/<property name="timeScale" value="0.02"\/>/g)).toHaveLength(suites);
    expect(junit.match(/<property name="representative" value="false"\/>/g)).toHaveLength(suites);
    expect(junit).toContain(`<property name="timeScaleNote" value="${NOT_REPRESENTATIVE}`);

    const md = renderMarkdown(report);
    expect(md).toContain('· time scale 0.02 (protocol time compressed 50×)');
    expect(md).toContain(`\n> ⚠️ ${NOT_REPRESENTATIVE}`);
    // Before the totals: read before any figure.
    expect(md.indexOf(NOT_REPRESENTATIVE)).toBeLessThan(md.indexOf('| outcome |'));

    const html = renderHtml(report);
    expect(html).toContain(`<p class="scale-banner" role="note">${NOT_REPRESENTATIVE}`);
    expect(html.indexOf('class="scale-banner"')).toBeLessThan(html.indexOf('<main>'));
    expect(html).toContain('<dt>Time scale</dt><dd>0.02 (protocol time compressed 50×)</dd>');
  });

  it('at 1, every file states real protocol time, with no warning and no banner', () => {
    const report = at(1);
    expect(JSON.parse(renderJson(report)).settings).toMatchObject({
      timeScale: 1,
      representative: true,
      timeScaleNote: expect.stringContaining('latency and quality figures are representative'),
    });
    const junit = renderJUnit(report);
    expect(junit).toContain('<property name="timeScale" value="1"/>');
    expect(junit).toContain('<property name="representative" value="true"/>');
    const md = renderMarkdown(report);
    expect(md).toContain('· time scale 1 (real protocol time)');
    expect(md).not.toContain('not representative');
    const html = renderHtml(report);
    expect(html).not.toContain('class="scale-banner"');
    expect(html).toContain('<dt>Time scale</dt><dd>1 (real protocol time)</dd>');
  });

  it('above 1, says the partner had more time than OICP allows, so a pass does not show it meets the limits', () => {
    const settings = JSON.parse(renderJson(at(2))).settings;
    expect(settings.representative).toBe(false);
    expect(settings.timeScaleNote).toContain(
      'Time scale 2 (protocol time stretched 2×): latency and quality figures are not representative. The partner had more real time than OICP allows (a 60 s limit was 120 s)',
    );
    expect(renderHtml(at(2))).toContain('class="scale-banner"');
  });

  it("the demo index shows each report's time scale, and the banner once when it is off 1", () => {
    const compressed = renderSuiteIndex('demo', [
      { report: at(0.02), href: 'cpo/' },
      { report: at(0.02), href: 'emp/' },
    ]);
    expect(compressed.match(/<td>0.02 \(protocol time compressed 50×\)<\/td>/g)).toHaveLength(2);
    expect(compressed.match(/<p class="scale-banner" role="note">/g)).toHaveLength(1);
    expect(compressed).toContain(NOT_REPRESENTATIVE);
    const real = renderSuiteIndex('demo', [{ report: at(1), href: 'cpo/' }]);
    expect(real).toContain('<td>1 (real protocol time)</td>');
    expect(real).not.toContain('<p class="scale-banner"');
  });

  it('is worded once: the note in report.json is the one every other file shows', () => {
    for (const scale of [0.001, 0.05, 1, 3]) {
      const report = at(scale);
      const { note, representative, label } = timeScaleStatement(scale);
      expect(report.settings).toMatchObject({ timeScale: scale, representative, timeScaleNote: note });
      expect(renderJUnit(report)).toContain(`<property name="timeScaleNote" value="${note}"/>`);
      expect(renderMarkdown(report)).toContain(`time scale ${label}`);
    }
  });
});

describe('warnings', () => {
  it('show in every file, and a passed item with one stays passed', () => {
    const report = exampleReport();
    const item = report.items.find((i) => i.id === 'CPO-01')!;
    expect(item.outcome).toBe('passed');
    expect(item.warnings).toHaveLength(1);
    expect(report.summary.counts.failed).toBe(report.items.filter((i) => i.outcome === 'failed').length);
    const junit = renderJUnit(report);
    expect(junit).toMatch(
      /<system-out>[^<]*warning CPO-01: unknown property \/OperatorEvseData\/EvseDataRecord\/0\/Colour &lt;b&gt; \(spec: OICP 2\.3 CPO, 03 Data Types, exchange x00001\)/,
    );
    expect(renderMarkdown(report)).toContain('## Warnings');
    expect(renderMarkdown(report)).toMatch(/- CPO-01: unknown property .*Colour &lt;b&gt;/);
    const html = renderHtml(report);
    expect(html).toContain('<strong>Warnings</strong>');
    expect(html).toContain('1 warning: unknown property');
    expect(html).not.toContain('Colour <b>');
    expect(JSON.parse(renderJson(report)).items[0].warnings[0].specRef).toBe('OICP 2.3 CPO, 03 Data Types');
  });

  it('are left out of an item that has none', () => {
    const report = exampleReport();
    expect(report.items.filter((i) => i.id !== 'CPO-01').every((i) => i.warnings === undefined)).toBe(true);
  });
});

describe('junit.xml', () => {
  it('is valid against the JUnit XSD CI servers read, with one testcase per checklist item', async () => {
    const report = exampleReport();
    const xml = renderJUnit(report);
    const result = await validateXML({
      xml: [{ fileName: 'junit.xml', contents: xml }],
      schema: [await readFile(XSD, 'utf8')],
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(report.items.length);
    expect(xml.match(/<failure /g)).toHaveLength(report.items.filter((i) => i.outcome === 'failed').length);
    expect(xml.match(/<error /g)).toHaveLength(report.items.filter((i) => i.outcome === 'error').length);
    expect(xml.match(/<skipped /g)).toHaveLength(report.items.filter((i) => i.outcome === 'skipped').length);
  });

  it('the XSD check can fail: a testcase with both failure and error is refused', async () => {
    const xml = renderJUnit(exampleReport()).replace('</failure>', '</failure><error type="x">y</error>');
    const result = await validateXML({
      xml: [{ fileName: 'junit.xml', contents: xml }],
      schema: [await readFile(XSD, 'utf8')],
    });
    expect(result.valid).toBe(false);
  });

  it('escapes markup in messages', () => {
    const xml = renderJUnit(exampleReport());
    expect(xml).not.toContain(HOSTILE);
    expect(xml).toContain('&lt;script&gt;');
  });
});

describe('index.html', () => {
  it('is self-contained and renders every recorded value as text', () => {
    const html = renderHtml(exampleReport());
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(html).not.toContain(HOSTILE);
    expect(html.startsWith('<!doctype html>') || html.startsWith('<!DOCTYPE html>')).toBe(true);
  });
});
