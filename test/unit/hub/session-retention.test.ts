import { describe, expect, it } from 'vitest';
import { type Session, SessionStore } from '../../../src/hub/state/sessions.js';

const HOUR = 3_600_000;

function session(n: number, status: Session['status'] = 'active'): Session {
  return {
    SessionID: `S-${n}`,
    origin: 'AuthorizeRemoteStart',
    cpoId: 'DE*CPA',
    empId: 'DE-EMA',
    identification: { RemoteIdentification: { EvcoID: 'DE-EMA-C12345678-X' } },
    authorizedOffline: false,
    status,
    createdAt: '2026-12-02T10:00:00.000Z',
  };
}

describe('SessionStore retention', () => {
  it('forgets an ended session untouched for the retention time, never an open one', () => {
    let now = 0;
    const store = new SessionStore({ endedRetentionMs: 24 * HOUR, now: () => now });
    const closed = store.add(session(1));
    store.setStatus(closed, 'closed');
    store.add(session(2, 'rejected'));
    store.add(session(3, 'active'));
    store.add(session(4, 'pending'));
    now = 23 * HOUR;
    store.add(session(5));
    expect(store.size()).toBe(5);
    store.get('s-2'); // a late remote stop looks at the rejected one: used, so kept
    now = 25 * HOUR;
    store.add(session(6));
    expect(store.get('S-1')).toBeUndefined();
    expect(store.get('S-2')?.status).toBe('rejected');
    expect(store.get('S-3')?.status).toBe('active');
    expect(store.get('S-4')?.status).toBe('pending');
    now = 1000 * HOUR;
    store.add(session(7));
    expect(store.get('S-2')).toBeUndefined();
    expect(store.size()).toBe(5);
  });

  it('past the cap forgets the least recently used, ended sessions before open ones', () => {
    const store = new SessionStore({ maxSessions: 3 });
    store.add(session(1));
    store.add(session(2));
    const three = store.add(session(3));
    store.setStatus(three, 'closed');
    store.add(session(4));
    expect(store.get('S-3')).toBeUndefined();
    expect(store.size()).toBe(3);
    store.get('S-1');
    store.add(session(5));
    // S-2 was the least recently used open session; S-1 was just looked up.
    expect(store.get('S-2')).toBeUndefined();
    expect(
      store
        .all()
        .map((s) => s.SessionID)
        .sort(),
    ).toEqual(['S-1', 'S-4', 'S-5']);
  });

  it('holds 100,000 remote starts that never get a CDR to the cap', () => {
    const store = new SessionStore({ maxSessions: 50_000 });
    for (let n = 0; n < 100_000; n++) store.add(session(n));
    expect(store.size()).toBe(50_000);
    expect(store.get('S-99999')).toBeDefined();
    expect(store.get('S-49999')).toBeUndefined();
  });

  it('sets the status on the caller’s session even after the store let it go', () => {
    const store = new SessionStore({ maxSessions: 1 });
    const first = store.add(session(1, 'pending'));
    store.add(session(2));
    store.setStatus(first, 'rejected');
    expect(first.status).toBe('rejected');
    expect(store.get('S-1')).toBeUndefined();
  });
});
