import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateIdentity, certPaths, certsCommand } from '../../../src/tls/load.js';

describe('certificateIdentity', () => {
  it('should return the CN of a peer certificate', () => {
    expect(certificateIdentity({ subject: { CN: 'DE*VCP', O: 'Virtual CPO' } })).toBe('DE*VCP');
  });

  it('should accept a repeated CN only when every value is the same', () => {
    expect(certificateIdentity({ subject: { CN: ['DE*VCP', 'DE*VCP'] } })).toBe('DE*VCP');
    expect(certificateIdentity({ subject: { CN: ['DE*VCP', 'DE*OTH'] } })).toBeUndefined();
  });

  it('should return undefined without a certificate, a subject or a CN', () => {
    // getPeerCertificate() gives {} when the client sent no certificate.
    expect(certificateIdentity({})).toBeUndefined();
    expect(certificateIdentity(undefined)).toBeUndefined();
    expect(certificateIdentity({ subject: { O: 'No CN' } })).toBeUndefined();
    expect(certificateIdentity({ subject: { CN: '' } })).toBeUndefined();
    expect(certificateIdentity({ subject: { CN: 42 } })).toBeUndefined();
  });
});

describe('certPaths', () => {
  it('should join the layout onto the folder as given', () => {
    const paths = certPaths('certs', 'virtual-cpo');
    expect(paths.ca).toEqual({ cert: path.join('certs', 'ca.crt'), key: path.join('certs', 'ca.key') });
    expect(paths.hubServer.cert).toBe(path.join('certs', 'hub', 'server.crt'));
    expect(paths.hubClient.key).toBe(path.join('certs', 'hub', 'client.key'));
    expect(paths.partnerClient.cert).toBe(path.join('certs', 'partners', 'virtual-cpo', 'client.crt'));
    expect(paths.partnerServer.key).toBe(path.join('certs', 'partners', 'virtual-cpo', 'server.key'));
  });

  it('should leave out partner paths when no partner is named', () => {
    expect(Object.keys(certPaths('/tmp/c'))).toEqual(['dir', 'ca', 'hubServer', 'hubClient']);
  });
});

describe('certsCommand', () => {
  it('should add --dir only for a folder other than ./certs, quoted for the shell when needed', () => {
    expect(certsCommand('certs')).toBe('npx hbs-sim certs');
    expect(certsCommand(path.resolve('certs'), true)).toBe('npx hbs-sim certs --force');
    expect(certsCommand('/tmp/my certs')).toBe("npx hbs-sim certs --dir '/tmp/my certs'");
  });
});
