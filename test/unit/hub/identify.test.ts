import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { peerIdentity } from '../../../src/hub/identify.js';

/** A TLS socket as far as peerIdentity looks at it, counting how often the certificate is decoded. */
function fakeSocket(cn: string) {
  const socket = {
    authorized: true,
    authorizationError: null,
    reads: 0,
    getPeerCertificate() {
      socket.reads++;
      return { subject: { CN: cn } };
    },
  };
  return socket;
}

const on = (socket: object): IncomingMessage => ({ socket }) as unknown as IncomingMessage;

describe('peerIdentity', () => {
  it('decodes the client certificate once per connection, however many requests it carries', () => {
    const socket = fakeSocket('DE*CPA');
    for (let i = 0; i < 5; i++) expect(peerIdentity(on(socket))).toEqual({ ok: true, id: 'DE*CPA', issuers: [] });
    expect(socket.reads).toBe(1);
  });

  it('reads each connection its own identity', () => {
    const a = fakeSocket('DE*CPA');
    const b = fakeSocket('DE-EMA');
    expect(peerIdentity(on(a))).toEqual({ ok: true, id: 'DE*CPA', issuers: [] });
    expect(peerIdentity(on(b))).toEqual({ ok: true, id: 'DE-EMA', issuers: [] });
    expect(peerIdentity(on(a))).toEqual({ ok: true, id: 'DE*CPA', issuers: [] });
  });
});
