import { rename, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { ConfigError, TlsError } from '../shared/errors.js';
import { makeDirs } from '../shared/fs.js';
import { type Logger, silentLogger } from '../shared/log.js';
import { generateCa, generateSigned } from './generate.js';
import { type CheckedPiece, certsCommand, type PemPair, presenceOf, readPiece } from './load.js';
import { CA_SPEC, type CertSubject, HUB_CLIENT_SPEC, hubServerSpec, type PieceSpec, partnerSpecs } from './spec.js';

export type { CertSubject } from './spec.js';

/** What to ensure: the certs folder, the partners needing certificates, and whether to regenerate everything. */
export interface EnsureCertsOptions {
  dir: string;
  partners: CertSubject[];
  /**
   * DNS names and IP addresses the hub's server certificate must carry besides localhost, 127.0.0.1 and ::1. An
   * existing one lacking any is reissued under the same CA (partners keep trusting it); one naming them all is kept.
   */
  hubNames?: readonly string[];
  /** Regenerate everything, the CA included, even when the existing material is valid. */
  force?: boolean;
  /** The clock for validity checks and new certificates' start dates (tests issue expired material with it). */
  now?: Date;
  logger?: Logger;
}

/** What ensureCerts did, as file paths relative to `dir` (`/`-separated). */
export interface EnsureCertsResult {
  dir: string;
  created: string[];
  kept: string[];
}

const KEY_MODE = 0o600;
const CERT_MODE = 0o644;

/**
 * Creates whatever is missing under `dir` (the CA, the hub's server and client certificates, and a client and server
 * certificate per partner) and keeps valid existing material. Without `force` it never replaces a file: invalid or
 * stale material is a TlsError naming the file and the fix, and nothing is written.
 */
export async function ensureCerts(options: EnsureCertsOptions): Promise<EnsureCertsResult> {
  const { dir, force = false } = options;
  const now = options.now ?? new Date();
  const logger = (options.logger ?? silentLogger()).child({ module: 'tls' });
  const startedMs = performance.now();
  const leaves = leafSpecs(options.partners, options.hubNames ?? []);

  // Every check runs before anything is generated, so a refusal leaves the folder exactly as it was.
  const plan = force ? { ca: undefined, toCreate: leaves } : planReuse(dir, leaves, now, logger);

  const created: PieceSpec[] = [];
  let ca: PemPair;
  if (plan.ca) {
    ca = plan.ca;
  } else {
    ca = await generateCa(CA_SPEC, now);
    created.push(CA_SPEC);
    // CA first: if the run is interrupted, the next one reissues the missing leaves under this CA.
    await writePiece(dir, CA_SPEC, ca);
  }
  // Each leaf is independent once the CA exists; issuing them together keeps a large world fast.
  await Promise.all(plan.toCreate.map(async (spec) => writePiece(dir, spec, await generateSigned(spec, ca, now))));
  created.push(...plan.toCreate);

  const all = [CA_SPEC, ...leaves];
  const kept = all.filter((spec) => !created.includes(spec));
  const durationMs = Math.round(performance.now() - startedMs);
  logger.debug({ dir, created: created.length, kept: kept.length, durationMs }, 'certificates ensured');
  return {
    dir,
    created: all.filter((spec) => created.includes(spec)).flatMap(filesOf),
    kept: kept.flatMap(filesOf),
  };
}

function leafSpecs(partners: CertSubject[], hubNames: readonly string[]): PieceSpec[] {
  const seen = new Map<string, CertSubject>();
  for (const partner of partners) {
    const other = seen.get(partner.key);
    if (other) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `partners ${other.id} and ${partner.id} share the key "${partner.key}", ` +
          'so they would share a certificate folder',
      );
    }
    seen.set(partner.key, partner);
  }
  return [
    hubServerSpec(hubNames),
    HUB_CLIENT_SPEC,
    ...partners.flatMap((partner) => {
      const specs = partnerSpecs(partner);
      return [specs.client, specs.server];
    }),
  ];
}

/** The existing CA and the leaves still to create; throws on anything present but unusable. */
function planReuse(
  dir: string,
  leaves: PieceSpec[],
  now: Date,
  logger: Logger,
): { ca?: CheckedPiece; toCreate: PieceSpec[] } {
  if (presenceOf(dir, CA_SPEC) === 'none') {
    // Leaves without their CA can never verify again; replacing them is a decision for --force, not a side effect.
    const orphan = leaves.find((spec) => presenceOf(dir, spec) !== 'none');
    if (orphan) {
      throw new TlsError(
        'TLS_MISSING',
        `${path.join(dir, CA_SPEC.cert)} and ${CA_SPEC.key} are missing but ${path.join(dir, orphan.cert)} ` +
          `exists, signed by a CA that is gone; run \`${certsCommand(dir, true)}\` to regenerate everything`,
        { file: path.join(dir, CA_SPEC.cert) },
      );
    }
    return { toCreate: leaves };
  }
  const ca = readPiece(dir, CA_SPEC, undefined, now);
  const toCreate: PieceSpec[] = [];
  for (const spec of leaves) {
    if (presenceOf(dir, spec) === 'none') {
      toCreate.push(spec);
      continue;
    }
    const piece = readPiece(dir, spec, ca, now);
    const missing = namesNotCovered(piece, spec.extraNames ?? []);
    if (missing.length > 0) {
      // Valid but short of a name a partner will call it by: reissued under the same CA, so partners that trust
      // the CA (every partner certificate here is signed by it) trust the new certificate without any change.
      logger.warn(
        { file: path.join(dir, spec.cert), missing },
        `reissuing ${spec.label} under the existing CA: it does not name ${missing.join(', ')}`,
      );
      toCreate.push(spec);
    }
  }
  return { ca, toCreate };
}

/** The names (DNS names or IP addresses) a certificate's subjectAltName does not cover. */
export function namesNotCovered(piece: Pick<CheckedPiece, 'x509'>, names: readonly string[]): string[] {
  // checkIP/checkHost match the SAN as TLS clients do (an IPv6 address in any spelling; no CN fallback here).
  return names.filter((n) =>
    isIP(n) ? piece.x509.checkIP(n) === undefined : piece.x509.checkHost(n, { subject: 'never' }) === undefined,
  );
}

function filesOf(spec: PieceSpec): string[] {
  return [spec.cert, spec.key];
}

async function writePiece(dir: string, spec: PieceSpec, pair: PemPair): Promise<void> {
  await writeAtomically(path.join(dir, spec.key), pair.key, KEY_MODE);
  await writeAtomically(path.join(dir, spec.cert), pair.cert, CERT_MODE);
}

// Write-then-rename: a reader (the hub starting in parallel) sees the old file or the new one, never half of one.
export async function writeAtomically(file: string, content: string | Buffer, mode: number): Promise<void> {
  makeDirs(path.dirname(file));
  const temporary = `${file}.${process.pid}.tmp`;
  // A leftover from a crashed run would keep its old mode, since writeFile applies `mode` only when it creates.
  await rm(temporary, { force: true });
  await writeFile(temporary, content, { mode });
  await rename(temporary, file);
}
