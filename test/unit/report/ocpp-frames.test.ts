import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/harness/report/build.js';
import { renderHtml } from '../../../src/harness/report/render/html/page.js';
import { FrameLog } from '../../../src/ocpp/frames.js';
import { exampleInput } from '../../fixtures/report/example.js';

/** OCPP frames in the report: the run's frames once, each item's by seq, shown in the item's detail view. */

function frames(): FrameLog {
  const log = new FrameLog(4);
  const at = new Date('2026-12-02T10:00:00.000Z');
  log.add('CP-1', 'cp→csms', '[2,"b","BootNotification",{"chargePointVendor":"v","chargePointModel":"m"}]', at);
  log.add('CP-1', 'csms→cp', '[3,"b",{"status":"Accepted","currentTime":"2026-12-02T10:00:00Z","interval":300}]', at);
  log.add('CP-1', 'cp→csms', '[2,"a","Authorize",{"idTag":"<script>"}]', at);
  log.add('CP-1', 'csms→cp', '[4,"a","InternalError","db down",{}]', at);
  log.add('CP-1', 'csms→cp', 'not a frame', at);
  return log;
}

describe('OCPP frames in the report', () => {
  it('keeps the frames the log still holds, and item references to them only', () => {
    const input = exampleInput();
    const log = frames();
    const items = input.items.map((item, i) => (i === 0 ? { ...item, ocppFrameSeqs: [1, 3, 4, 5] } : item));
    const report = buildReport({ ...input, items, ocppFrames: log.all() });
    // The log of 4 dropped seq 1 (the boot's CALL).
    expect(report.ocppFrames?.map((f) => f.seq)).toEqual([2, 3, 4, 5]);
    expect(report.ocppFrames?.[0]).toMatchObject({ action: 'BootNotification', type: 'CALLRESULT' });
    expect(report.items[0]?.ocppFrameSeqs).toEqual([3, 4, 5]);
    expect(report.items[1]?.ocppFrameSeqs).toBeUndefined();
  });

  it('without charge points the report has no ocppFrames and the page no frame table', () => {
    const report = buildReport(exampleInput());
    expect(report).not.toHaveProperty('ocppFrames');
    expect(renderHtml(report)).not.toContain('<table class="ocpp-frames"');
  });

  it("shows an item's frames in its detail view, escaped, a CALLERROR with its code and a malformed frame as text", () => {
    const input = exampleInput();
    const items = input.items.map((item, i) => (i === 0 ? { ...item, ocppFrameSeqs: [3, 4, 5] } : item));
    const html = renderHtml(buildReport({ ...input, items, ocppFrames: frames().all() }));
    const start = html.indexOf('<table class="ocpp-frames">');
    const table = html.slice(start, html.indexOf('</table>', start));
    expect(table).toContain('<td>Authorize</td>');
    expect(table).toContain('&lt;script&gt;');
    expect(table).not.toContain('<script>');
    expect(table).toContain('<code>InternalError</code> db down');
    expect(table).toContain('<code>not a frame</code>');
    expect(table).toContain('charge point → CSMS');
    expect(html.match(/<table class="ocpp-frames"/g)).toHaveLength(1);
  });
});
