import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../../src/shared/recorder.js';
import { type MonitorTestHub, startMonitorHub, syntheticExchange } from './monitor-hub.js';

const N = 10_000;

describe('paging 10,000 recorded exchanges', () => {
  let t: MonitorTestHub;
  beforeAll(async () => {
    t = await startMonitorHub();
    for (let i = 1; i <= N; i++) t.recorder.record(syntheticExchange(i));
  });
  afterAll(() => t.close());

  const page = async (query: string) => {
    const res = await t.monitor(`/api/exchanges?${query}`);
    expect(res.status, res.text).toBe(200);
    return res.json as {
      items: Array<{ seq: number; id: string; operation: string }>;
      total: number;
      older: number | null;
      newer: number | null;
      newestSeq: number;
    };
  };

  it('serves a first page of 100 by default, newest first', async () => {
    const first = await page('');
    expect(first.total).toBe(N);
    expect(first.items).toHaveLength(100);
    expect(first.items[0]).toMatchObject({ seq: N, id: `syn${N}` });
    expect(first.older).toBe(N - 99);
    expect(first.newer).toBeNull();
    expect(first.newestSeq).toBe(N);
  });

  it('walks every page older and back newer by cursor, each exchange exactly once', async () => {
    const seen: number[] = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      const p = await page(`limit=1000${cursor}`);
      seen.push(...p.items.map((r) => r.seq));
      pages++;
      if (p.older === null) break;
      cursor = `&before=${p.older}`;
    }
    expect(pages).toBe(10);
    expect(seen).toEqual(Array.from({ length: N }, (_, i) => N - i));

    const back: number[] = [];
    cursor = '&after=0';
    for (;;) {
      const p = await page(`limit=1000${cursor}`);
      back.unshift(...p.items.map((r) => r.seq));
      if (p.newer === null) break;
      cursor = `&after=${p.items[0]!.seq}`;
    }
    expect(back).toEqual(seen);
  });

  it('pages a filtered list with the same cursors', async () => {
    const first = await page('category=remote&limit=500');
    const expected = Math.floor((N - 1) / 7) + 1; // syntheticExchange puts AuthorizeRemoteStart at i % 7 === 1
    expect(first.total).toBe(expected);
    const second = await page(`category=remote&limit=500&before=${first.older}`);
    expect(second.items[0]!.seq).toBeLessThan(first.items.at(-1)!.seq);
    expect([...first.items, ...second.items].every((r) => r.operation === 'AuthorizeRemoteStart')).toBe(true);
    expect((await page('q=DE*CPA*E9999')).items.map((r) => r.id)).toEqual(['syn9999']);
  });

  it('exports all 10,000 as CSV', async () => {
    const res = await t.monitor('/api/exchanges.csv');
    expect(res.text.split('\r\n').filter(Boolean)).toHaveLength(N + 1);
  });
});

describe('paging while older exchanges leave memory', () => {
  let t: MonitorTestHub;
  beforeAll(async () => {
    t = await startMonitorHub({}, new Recorder({ maxInMemory: 100 }));
    for (let i = 1; i <= 150; i++) t.recorder.record(syntheticExchange(i));
  });
  afterAll(() => t.close());

  it('keeps seq numbers stable, so a cursor taken earlier still points at the same place', async () => {
    const first = (await t.monitor('/api/exchanges?limit=10')).json;
    expect(first.items[0]).toMatchObject({ seq: 150, id: 'syn150' });
    expect(first.dropped).toBe(50);
    for (let i = 151; i <= 170; i++) t.recorder.record(syntheticExchange(i));
    const next = (await t.monitor(`/api/exchanges?limit=10&before=${first.older}`)).json;
    expect(next.items[0]).toMatchObject({ seq: 140, id: 'syn140' });
    const oldest = (await t.monitor('/api/exchanges?limit=1&after=0')).json;
    expect(oldest.items[0]).toMatchObject({ seq: 71, id: 'syn71' });
  });

  it('says where a dropped exchange went', async () => {
    const res = await t.monitor('/api/exchanges/syn3');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toMatch(
      /70 older exchange\(s\) left memory, the JSONL transcript \(--transcript\) keeps them/,
    );
  });
});
