import { isIP } from 'node:net';
import type { Logger } from '../../shared/log.js';
import { type EnsureCertsResult, ensureCerts } from '../../tls/certs.js';
import type { CertSubject } from '../../tls/spec.js';
import { SERVER_DNS_NAMES, SERVER_IPS } from '../../tls/spec.js';
import { hubCertificateNames } from './settings.js';
import type { Partner, World } from './types.js';

/**
 * A partner as its certificates name it. Its server certificate also carries the host of every `https` URL the hub
 * calls it at (Service URLs and per-operation URLs) that is not a loopback name: a backend reached by a CI service
 * name (`https://backend:9444/oicp`) must present a certificate with that name, or the hub's host check refuses it.
 */
export function certSubjectOf(partner: Partner): CertSubject {
  const always = new Set<string>([...SERVER_DNS_NAMES, ...SERVER_IPS]);
  const hosts = new Set<string>();
  for (const setting of Object.values(partner.serviceTypes)) {
    for (const url of [setting?.serviceUrl, ...Object.values(setting?.operationUrls ?? {})]) {
      const host = httpsHost(url);
      if (host !== undefined && !always.has(host)) hosts.add(host);
    }
  }
  const { key, id, role, name } = partner;
  return { key, id, role, name, ...(hosts.size > 0 ? { serverNames: [...hosts].sort() } : {}) };
}

function httpsHost(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    // Per-operation URLs may hold {operatorID}/{providerID}, never in the host.
    const parsed = new URL(url.replace(/\{[^}]*\}/g, 'x'));
    if (parsed.protocol !== 'https:') return undefined;
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    return isIP(host) ? host : host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The certificates a world needs in `dir`, ensured (ensureCerts: missing ones made, valid ones kept): every partner
 * with the hosts of its URLs, the hub with its extra names. The one way the app, the CLI and the reference partners
 * ask for them, so they never disagree on what a certificate must name.
 */
export function ensureWorldCerts(
  world: World,
  dir: string,
  options: { force?: boolean; logger?: Logger } = {},
): Promise<EnsureCertsResult> {
  return ensureCerts({
    dir,
    partners: world.partners.map(certSubjectOf),
    hubNames: hubCertificateNames(world.hub),
    ...(options.force ? { force: true } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
