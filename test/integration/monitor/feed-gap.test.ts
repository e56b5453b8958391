import { describe, expect, it } from 'vitest';
import type { HubPort } from '../../../src/hub/port.js';
import { createHubState } from '../../../src/hub/state/index.js';
import { type FeedEvent, LiveFeed } from '../../../src/monitor/feed.js';
import { Recorder } from '../../../src/shared/recorder.js';

describe('live feed across a reconnect', () => {
  it('announces a CDR forward status that changed while no stream was listening', async () => {
    const state = createHubState();
    const hub = { state, recorder: new Recorder() } as unknown as HubPort;
    const feed = new LiveFeed(hub, { cdrPollMs: 10_000 });
    const cdr = { SessionID: 's-1' } as never;
    state.cdrs.add({
      cdr,
      operatorId: 'DE*CPA',
      providerId: 'DE-EMA',
      receivedAt: '',
      receivedAtMs: 0,
      forwardStatus: 'PENDING',
    });
    const first: FeedEvent[] = [];
    const off = feed.subscribe((e) => first.push(e));
    await new Promise((r) => setImmediate(r));
    off(); // the browser's EventSource drops the connection …
    state.cdrs.setForward('s-1', 'NOT_FORWARDED', 'EMP answered HTTP 500');
    const second: FeedEvent[] = [];
    const off2 = feed.subscribe((e) => second.push(e)); // … and reconnects
    await new Promise((r) => setImmediate(r));
    off2();
    expect(first).toEqual([]);
    expect(second).toEqual([
      { kind: 'cdr', SessionID: 's-1', forwardStatus: 'NOT_FORWARDED', forwardInfo: 'EMP answered HTTP 500' },
    ]);
  });
});
