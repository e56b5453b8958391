import { resolve } from 'node:path';
import { ensureWorldCerts } from '../config/world/certs.js';
import type { World } from '../config/world/types.js';
import type { PartnerProfile } from '../harness/scenario/profile.js';
import type { Logger } from '../shared/log.js';
import type { EnsureCertsResult } from '../tls/certs.js';
import { certPaths, type PartnerCertPaths } from '../tls/load.js';

/**
 * Where the certificates of a partner under test live, for `hbs-sim run` (which reads them) and `hbs-sim certs
 * --partner` (which writes them before any run): one function each for the folder and the files, so the two
 * commands can never name different files. The partner's key comes from its profile (underTestKey of its ID).
 */

/** The certificate folder of a run: the world's hub.certsDir (OICP_SIM_CERTS_DIR applied) from the working dir. */
export function runCertsDir(world: World, cwd: string): string {
  return resolve(cwd, world.hub.certsDir);
}

/** The files of the partner under test, the CA and the hub's in `dir` (default: the run's folder). */
export function underTestCertPaths(
  world: World,
  profile: PartnerProfile,
  cwd: string,
  dir = runCertsDir(world, cwd),
): PartnerCertPaths {
  return certPaths(dir, profile.partner.key);
}

/**
 * Creates what is missing for a run of `world` (the world with the partner under test in it: worldWithPartner), the
 * partner under test's client and server certificates included, and keeps valid files: exactly what the run's
 * start does, so a run after this finds everything in place and regenerates nothing.
 */
export async function ensureUnderTestCerts(o: {
  world: World;
  profile: PartnerProfile;
  cwd: string;
  /** Default: the run's folder (runCertsDir). */
  dir?: string;
  force?: boolean;
  logger?: Logger;
}): Promise<{ result: EnsureCertsResult; paths: PartnerCertPaths }> {
  const dir = o.dir ?? runCertsDir(o.world, o.cwd);
  const result = await ensureWorldCerts(o.world, dir, {
    ...(o.force ? { force: true } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  });
  return { result, paths: underTestCertPaths(o.world, o.profile, o.cwd, dir) };
}
