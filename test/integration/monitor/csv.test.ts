import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, csvLine } from '../../../src/monitor/csv.js';
import { post } from '../../helpers/http.js';
import { evseRecord, pushEvseData } from '../../helpers/messages.js';
import { type MonitorTestHub, startMonitorHub, syntheticExchange } from './monitor-hub.js';

/** A small RFC 4180 reader, to check that what we write parses back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV cells', () => {
  it('quotes per RFC 4180 only when needed and doubles quotes', () => {
    expect(csvCell('DE*CPA')).toBe('DE*CPA');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42.5)).toBe('42.5');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+49 30 123')).toBe("'+49 30 123");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('DE-EMA')).toBe('DE-EMA');
  });
});

describe('CSV export', () => {
  let t: MonitorTestHub;
  beforeAll(async () => {
    t = await startMonitorHub();
    for (let i = 1; i <= 30; i++) t.recorder.record(syntheticExchange(i));
    const tricky = syntheticExchange(50);
    tricky.violations.push({ kind: 'protocol', pointer: '', side: 'response', message: 'said "no", then\nleft' });
    t.recorder.record(tricky);
    // What a partner controls ends up in cells: a hostile "partner ID" taken from the URL of an unauthenticated push.
    await post(
      `${t.hub.url}/evsepush/v23/operators/=cmd|'calc'!A0/data-records`,
      pushEvseData('=cmd', [evseRecord('DE*CPA*E1')]),
      { ca: t.certs.hub.ca },
    );
  });
  afterAll(() => t.close());

  it('has a header row and one row per matching exchange, newest first, with the filter applied', async () => {
    const res = await t.monitor('/api/exchanges.csv?category=remote');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="hbs-exchanges-remote-.*\.csv"$/);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const total = (await t.monitor('/api/exchanges?category=remote')).json.total;
    expect(rows.length - 1).toBe(total);
    expect(total).toBeGreaterThan(0);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as never);
    expect(rows.slice(1).every((r) => r[col('operation')] === 'AuthorizeRemoteStart')).toBe(true);
    const seqs = rows.slice(1).map((r) => Number(r[col('seq')]));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });

  it('writes violations with their JSON pointers and keeps every field on its own row', async () => {
    const rows = parseCsv((await t.monitor('/api/exchanges.csv?statusCode=022&operation=AuthorizeRemoteStart')).text);
    expect(rows).toHaveLength(2);
    expect(rows[1]![CSV_COLUMNS.indexOf('violations')]).toBe('2');
    expect(rows[1]![CSV_COLUMNS.indexOf('violationDetails')]).toBe(
      'request schema /EvseID: must match pattern | response protocol /: said "no", then\nleft',
    );
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('defuses a formula smuggled in through a recorded field', async () => {
    const rows = parseCsv((await t.monitor('/api/exchanges.csv?http=403')).text);
    const partner = rows[1]![CSV_COLUMNS.indexOf('partnerId')];
    expect(partner).toBe("'=cmd|'calc'!A0");
  });
});
