/**
 * junit.xml: one testcase per checklist item, one testsuite per section (Hubject service type). `failed` becomes
 * `<failure>`, `error` becomes `<error>` (the harness could not check), `skipped` becomes `<skipped message>`.
 * Valid against the widely used JUnit.xsd (windyroad lineage, a copy in test/fixtures/junit/) that Jenkins, GitLab
 * and GitHub test-report actions read, which is why `<testsuites>` carries no attributes and every suite has
 * `<properties>`, `<system-out>` and `<system-err>`.
 * @see https://github.com/windyroad/JUnit-Schema
 */
import { type ChecklistItem, type Report, SECTIONS, type Section } from '../model.js';
import { SECTION_TITLES } from '../sections.js';
import { timeScaleStatement } from '../time-scale.js';
import { decisiveChecks, describeCheck, describeWarning, itemHeadline, seconds } from './text.js';
import { attrs, xmlText } from './xml.js';

/** The XSD allows no time zone in `timestamp`: UTC, to the second. */
function junitTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '1970-01-01T00:00:00' : new Date(ms).toISOString().slice(0, 19);
}

/** The failure/error body: everything a developer needs without opening the HTML report. */
function details(item: ChecklistItem): string {
  const lines = [
    `${item.id} (${item.mandatory ? 'mandatory' : 'optional'})${item.specRef ? ` — ${item.specRef}` : ''}`,
  ];
  if (item.reason) lines.push(`${item.reason.code ? `${item.reason.code}: ` : ''}${item.reason.message}`);
  for (const check of decisiveChecks(item)) {
    lines.push(`- [${check.outcome}] ${describeCheck(check)}`);
    const where = [
      check.specRef && `spec: ${check.specRef}`,
      check.exchangeId && `exchange: ${check.exchangeId}`,
      check.pointer !== undefined && `field: ${check.side ?? 'response'} ${check.pointer || '/'}`,
    ].filter(Boolean);
    if (where.length > 0) lines.push(`  ${where.join(', ')}`);
  }
  return lines.join('\n');
}

function testcase(item: ChecklistItem, classname: string): string {
  const head = `    <testcase${attrs({ name: `${item.id} ${item.title}`, classname, time: seconds(item.durationMs) })}`;
  const message = itemHeadline(item) || item.outcome;
  switch (item.outcome) {
    case 'passed':
      return `${head}/>`;
    case 'skipped': {
      const prefix = item.mandatory ? 'mandatory item not checked' : 'optional item skipped';
      return `${head}>\n      <skipped${attrs({ message: `${prefix}: ${message}` })}/>\n    </testcase>`;
    }
    case 'failed':
    case 'error': {
      const tag = item.outcome === 'failed' ? 'failure' : 'error';
      const type = item.outcome === 'failed' ? 'CheckFailed' : (item.reason?.code ?? 'HarnessError');
      return `${head}>\n      <${tag}${attrs({ message, type })}>${xmlText(details(item))}</${tag}>\n    </testcase>`;
    }
  }
}

function testsuite(report: Report, section: Section, items: ChecklistItem[], id: number): string {
  const count = (o: ChecklistItem['outcome']): number => items.filter((i) => i.outcome === o).length;
  const { partner, run } = report;
  const scale = timeScaleStatement(report.settings.timeScale);
  const properties = {
    reportVersion: String(report.reportVersion),
    tool: `${report.tool.name} ${report.tool.version}`,
    runId: run.id,
    partnerId: partner.id,
    role: partner.role,
    section,
    // A CI server shows suite properties next to the results: whether its latency figures stand for real time.
    timeScale: String(scale.timeScale),
    representative: String(scale.representative),
    timeScaleNote: scale.note,
  };
  const classname = `${partner.role}.${section}`;
  return [
    `  <testsuite${attrs({
      name: `${partner.role} ${SECTION_TITLES[section]}`,
      timestamp: junitTimestamp(run.startedAt),
      hostname: 'localhost',
      tests: items.length,
      failures: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      time: seconds(items.reduce((sum, i) => sum + i.durationMs, 0)),
      package: `hbs-sim.${partner.role}`,
      id,
    })}>`,
    '    <properties>',
    ...Object.entries(properties).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    ...items.map((item) => testcase(item, classname)),
    // The XSD gives a testcase no output of its own: the suite's carries its items' warnings.
    `    <system-out>${xmlText([`verdict of the run: ${report.summary.verdict}`, ...items.flatMap((i) => (i.warnings ?? []).map((w) => `warning ${i.id}: ${describeWarning(w)}`))].join('\n'))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
  ].join('\n');
}

/** junit.xml of a report. */
export function renderJUnit(report: Report): string {
  const suites = SECTIONS.map((section) => ({ section, items: report.items.filter((i) => i.section === section) }))
    .filter((s) => s.items.length > 0)
    .map((s, id) => testsuite(report, s.section, s.items, id));
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>', ...suites, '</testsuites>', ''].join('\n');
}
