import type { ProgressEvent } from '../../../src/harness/report/console/progress.js';
import type { Report } from '../../../src/harness/report/model.js';
import { itemHeadline } from '../../../src/harness/report/render/text.js';

/** The events a scenario engine would send for `report`, in order, waiting up to 45 s for each item's first exchange. */
export function eventsFor(report: Report, files: { reporter: string; path: string }[]): ProgressEvent[] {
  const events: ProgressEvent[] = [
    {
      type: 'runStarted',
      runId: report.run.id,
      at: report.run.startedAt,
      partner: { id: report.partner.id, role: report.partner.role },
      timeScale: report.settings.timeScale,
      items: report.items.map((i) => ({ id: i.id, title: i.title, section: i.section, mandatory: i.mandatory })),
    },
  ];
  for (const item of report.items) {
    const at = item.startedAt ?? report.run.startedAt;
    events.push({ type: 'itemStarted', itemId: item.id, title: item.title, at });
    if (item.steps.length > 0) {
      const first = report.exchanges.find((e) => item.exchangeIds.includes(e.id));
      const what =
        first === undefined
          ? 'the partner'
          : first.direction === 'partner→hub'
            ? `${first.operation} from ${report.partner.id}`
            : `${report.partner.id}'s answer to ${first.operation}`;
      events.push({
        type: 'waiting',
        itemId: item.id,
        what,
        deadline: new Date(Date.parse(at) + 45_000).toISOString(),
      });
    }
    for (const check of item.steps.flatMap((s) => s.checks))
      events.push({ type: 'checkResult', itemId: item.id, check });
    events.push({
      type: 'itemFinished',
      itemId: item.id,
      outcome: item.outcome,
      durationMs: item.durationMs,
      ...(item.reason ? { reason: item.reason } : {}),
      // As certify sends it: why an item that did not pass did not.
      ...(item.outcome === 'passed' ? {} : { headline: itemHeadline(item) }),
    });
  }
  events.push({ type: 'runFinished', report, files, failures: [] });
  return events;
}
