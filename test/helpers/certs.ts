import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CertSubject, ensureCerts } from '../../src/tls/certs.js';
import { generateCa, generateSigned } from '../../src/tls/generate.js';
import {
  type HubTlsMaterial,
  loadHubTls,
  loadPartnerTls,
  type PartnerTlsMaterial,
  type PemPair,
} from '../../src/tls/load.js';
import { CA_SPEC, partnerSpecs } from '../../src/tls/spec.js';

/** Certificates for one integration test, in their own temp folder. */
export interface TestCerts {
  dir: string;
  hub: HubTlsMaterial;
  /** The material of a partner passed to makeTestCerts, by key. */
  partner(key: string): PartnerTlsMaterial;
  /**
   * A CA that is not the hub's, and a client certificate it signed whose CN is the first partner's ID, so a test of
   * "certificate from another CA is refused" fails only because of the CA.
   */
  foreignCa: { ca: string; client: PemPair };
  cleanup(): Promise<void>;
}

/** Used for the foreign client certificate when makeTestCerts gets no partners. */
const FOREIGN_FALLBACK: CertSubject = { key: 'foreign', id: 'DE*FOR', role: 'CPO', name: 'Foreign partner' };

/**
 * Generates a full set (CA, hub, every partner) plus a foreign CA into a fresh temp folder. No per-process cache:
 * a world of six partners takes about 0.2 s, and a folder of its own lets a test break files without side effects.
 */
export async function makeTestCerts(partners: CertSubject[]): Promise<TestCerts> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hbs-sim-certs-'));
  try {
    await ensureCerts({ dir, partners });
    const now = new Date();
    const foreign = await generateCa({ ...CA_SPEC, commonName: 'hbs-sim foreign CA (test)' }, now);
    const foreignClient = await generateSigned(partnerSpecs(partners[0] ?? FOREIGN_FALLBACK).client, foreign, now);
    const byKey = new Map(partners.map((p) => [p.key, p]));
    return {
      dir,
      hub: loadHubTls(dir),
      partner(key) {
        const subject = byKey.get(key);
        if (!subject) throw new Error(`makeTestCerts: no partner "${key}"; known: ${[...byKey.keys()].join(', ')}`);
        return loadPartnerTls(dir, subject);
      },
      foreignCa: { ca: foreign.cert, client: foreignClient },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
