import { relative, resolve } from 'node:path';
import { ensureWorldCerts } from '../../config/world/certs.js';
import type { World } from '../../config/world/types.js';
import { localUrl } from '../../net/local-guards.js';
import type { Role } from '../../oicp/operations.js';
import { SimError } from '../../shared/errors.js';
import { REFERENCE_CPO_KEY, referenceCpoData, startReferenceCpo } from './cpo.js';
import { REFERENCE_EMP_KEY, startReferenceEmp } from './emp.js';
import type { ReferenceOptions, ReferencePartner } from './partner.js';
import { writeReferenceProfile } from './profile.js';

/** The world, the hub and where the profile goes, plus the switches a reference partner takes. */
export interface StartReferenceOptions
  extends Pick<
    ReferenceOptions,
    'clock' | 'logger' | 'faults' | 'quirks' | 'port' | 'testPort' | 'plainHttp' | 'customUrls' | 'ocpp'
  > {
  role: Role;
  world: World;
  cwd: string;
  /** The hub's OICP base URL (default: the world's host, port and base path). */
  hubUrl?: string;
  /** Where to write its partner profile. */
  profileOut: string;
  /** Its time scale, for the `hbs-sim run` line the profile suggests. */
  timeScale?: number;
}

/**
 * Starts a reference partner of a world (its partners/reference-cpo.yaml or reference-emp.yaml) against a hub URL,
 * with the world's transport and certificates, and writes its partner profile.
 */
export async function startReference(
  o: StartReferenceOptions,
): Promise<{ partner: ReferencePartner; profilePath: string; certifyWith: string }> {
  const key = o.role === 'CPO' ? REFERENCE_CPO_KEY : REFERENCE_EMP_KEY;
  const partner = o.world.partners.find((p) => p.key === key);
  if (!partner)
    throw new SimError(
      'SIM_START',
      `the world ${o.world.source} has no partners/${key}.yaml for the reference ${o.role}`,
    );
  const h = o.world.hub;
  const mtls = h.transport === 'mtls';
  const certsDir = resolve(o.cwd, h.certsDir);
  if (mtls) await ensureWorldCerts(o.world, certsDir, { logger: o.logger });
  // A hub on every interface (0.0.0.0, ::) is called over loopback, which its certificate names.
  const host = h.host.includes(':') ? `[${h.host}]` : h.host;
  const hubUrl = o.hubUrl ?? localUrl(`${mtls ? 'https' : 'http'}://${host}:${h.port}${h.basePath}`);
  const common = {
    partner,
    hubUrl,
    clock: o.clock,
    logger: o.logger,
    ...(mtls ? { certsDir } : {}),
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.quirks ? { quirks: o.quirks } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.testPort !== undefined ? { testPort: o.testPort } : {}),
    ...(o.plainHttp ? { plainHttp: true } : {}),
    ...(o.customUrls ? { customUrls: true } : {}),
    ...(o.ocpp ? { ocpp: true } : {}),
  };
  const data = o.role === 'CPO' ? await referenceCpoData(o.world.source) : undefined;
  const started = data ? await startReferenceCpo({ ...common, ...data }) : await startReferenceEmp(common);
  const profilePath = resolve(o.cwd, o.profileOut);
  let certifyWith: string;
  try {
    const hubPort = new URL(hubUrl).port;
    certifyWith = `npx hbs-sim run --partner ${relative(o.cwd, profilePath) || profilePath}${o.timeScale && o.timeScale !== 1 ? ` --time-scale ${o.timeScale}` : ''}${hubPort && Number(hubPort) !== h.port ? ` --port ${hubPort}` : ''}`;
    await writeReferenceProfile(profilePath, {
      partner: started,
      name: partner.name,
      evseIds: (data?.evseData ?? []).map((r) => (r as { EvseID: string }).EvseID),
      certifyWith,
    });
  } catch (e) {
    await started.close();
    throw e;
  }
  return { partner: started, profilePath, certifyWith };
}
