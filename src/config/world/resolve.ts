import type { EvseDataRecord } from '../../oicp/messages.js';
import { type Role, SERVICE_TYPES } from '../../oicp/operations.js';
import { matchesPattern, normalizePartnerId, operatorOfEvseId, ownedIds } from '../../oicp/patterns.js';
import { validateComponent } from '../../oicp/validate.js';
import type { FieldError } from '../../shared/errors.js';
import { fieldError } from '../diagnostics.js';
import type { SourceFile } from '../source.js';
import { type EvseFile, HUB_DEFAULTS, type WorldFile } from './schema.js';
import type { Contract, HubSettings, Partner } from './types.js';

/**
 * The cross-file half of loading: hub defaults, contracts that name partners, EVSE files that name a CPO, and IDs
 * that must not clash. Each function returns its problems instead of throwing, so the loader can report them all.
 */

/** A partner by key, or by OICP ID in any spelling (`DE*ABC` = `DEABC`), optionally of one role only. */
export function lookupPartner(partners: readonly Partner[], ref: string, role?: Role): Partner | undefined {
  const candidates = role ? partners.filter((p) => p.role === role) : partners;
  const byKey = candidates.find((p) => p.key === ref);
  if (byKey) return byKey;
  const id = normalizePartnerId(ref);
  return candidates.find((p) => normalizePartnerId(p.id) === id);
}

/** world.yaml's `hub:` with every default filled in. */
export function resolveHub(hub: WorldFile['hub'] = {}): HubSettings {
  return {
    host: hub.host ?? HUB_DEFAULTS.host,
    port: hub.port ?? HUB_DEFAULTS.port,
    basePath: normalizeBasePath(hub.basePath ?? HUB_DEFAULTS.basePath),
    transport: hub.transport ?? HUB_DEFAULTS.transport,
    timeouts: { ...HUB_DEFAULTS.timeouts, ...hub.timeouts },
    aup: {
      enabled: hub.aup?.enabled ?? HUB_DEFAULTS.aup.enabled,
      perMinute: { ...hub.aup?.perMinute },
      pushProcessingMs: hub.aup?.pushProcessingMs ?? HUB_DEFAULTS.aup.pushProcessingMs ?? 0,
    },
    bodyLimitBytes: hub.bodyLimitBytes ?? HUB_DEFAULTS.bodyLimitBytes,
    certsDir: hub.certsDir ?? HUB_DEFAULTS.certsDir,
    ...(hub.transcriptPath === undefined ? {} : { transcriptPath: hub.transcriptPath }),
    recorder: { ...HUB_DEFAULTS.recorder, ...hub.recorder },
    heapGrowthPercent: hub.heapGrowthPercent ?? HUB_DEFAULTS.heapGrowthPercent,
    ...(hub.serverNames === undefined ? {} : { serverNames: [...hub.serverNames] }),
  };
}

/** `/api/oicp/` → `/api/oicp`: routes are joined as basePath + `/charging/…`. */
export function normalizeBasePath(basePath: string): string {
  return basePath.replace(/\/+$/, '') || '/';
}

export interface LoadedPartner {
  partner: Partner;
  source: SourceFile;
}

/**
 * No two partners may share an OICP ID or sub-partner ID in any spelling, whatever their roles: the hub identifies
 * a caller by its certificate CN compared with normalizePartnerId, so `DE*ABC` and `DE-ABC` would be one caller.
 */
export function checkUniqueIds(loaded: readonly LoadedPartner[]): { file: string; error: FieldError }[] {
  const problems: { file: string; error: FieldError }[] = [];
  const owners = new Map<string, Partner>();
  for (const { partner, source } of loaded) {
    const claims: [string, (string | number)[]][] = [
      [partner.id, ['id']],
      ...partner.subPartnerIds.map((sub, i): [string, (string | number)[]] => [sub, ['subPartnerIds', i]]),
    ];
    for (const [id, path] of claims) {
      const normalized = normalizePartnerId(id);
      const owner = owners.get(normalized);
      if (owner && owner !== partner) {
        const message =
          `ID \`${id}\` is already used by partner \`${owner.key}\` (${owner.id}); IDs must differ in more than ` +
          'separators, because the hub compares them without `*` and `-`';
        problems.push({ file: source.file, error: fieldError(source, path, message) });
      } else {
        owners.set(normalized, partner);
      }
    }
  }
  return problems;
}

/** Resolves contract sides (key or ID) to the partners' OICP IDs and expands `services: all`. */
export function resolveContracts(
  file: WorldFile,
  source: SourceFile,
  partners: readonly Partner[],
): { contracts: Contract[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const contracts: Contract[] = [];
  (file.contracts ?? []).forEach((c, i) => {
    const cpo = contractSide(c.cpo, 'CPO', partners);
    const emp = contractSide(c.emp, 'EMP', partners);
    if (typeof cpo === 'string') errors.push(fieldError(source, ['contracts', i, 'cpo'], cpo));
    if (typeof emp === 'string') errors.push(fieldError(source, ['contracts', i, 'emp'], emp));
    if (typeof cpo === 'object' && typeof emp === 'object') {
      const services = c.services === 'all' ? [...SERVICE_TYPES] : [...c.services];
      contracts.push({ cpo: cpo.id, emp: emp.id, services });
    }
  });
  return { contracts, errors };
}

/** The partner, or the message explaining why `ref` cannot be this side of a contract. */
function contractSide(ref: string, role: Role, partners: readonly Partner[]): Partner | string {
  const found = lookupPartner(partners, ref, role);
  if (found) return found;
  const other = lookupPartner(partners, ref);
  if (other) {
    const article = other.role === 'EMP' ? 'an' : 'a';
    return `\`${ref}\` is ${article} ${other.role} (${other.id}); this side must be a ${role}`;
  }
  const known = partners.filter((p) => p.role === role).map((p) => `${p.key} (${p.id})`);
  return `unknown partner \`${ref}\`; known ${role}s: ${known.join(', ') || 'none'}`;
}

/** Checks an EVSE file against its CPO: every EvseID well-formed, owned by that CPO, and listed once. */
export function resolveEvse(
  key: string,
  file: EvseFile,
  source: SourceFile,
  partners: readonly Partner[],
): { operatorId?: string; records: EvseDataRecord[]; errors: FieldError[] } {
  const cpo = partners.find((p) => p.key === key);
  if (cpo?.role !== 'CPO') {
    const known = partners.filter((p) => p.role === 'CPO').map((p) => p.key);
    const why = cpo ? `\`${key}\` is an EMP` : `there is no partner \`${key}\``;
    const message = `${why}; an EVSE file is named after a CPO's partner key (CPOs: ${known.join(', ') || 'none'})`;
    return { records: [], errors: [{ path: '', message, line: 1, col: 1 }] };
  }
  const errors: FieldError[] = [];
  const owners = ownedIds(cpo);
  const firstIndex = new Map<string, number>();
  file.EvseDataRecord.forEach((record, i) => {
    const { EvseID } = record;
    errors.push(...recordErrors(record, i, source));
    const path = ['EvseDataRecord', i, 'EvseID'];
    const operator = operatorOfEvseId(EvseID);
    if (!matchesPattern('EvseID', EvseID) || operator === undefined) {
      errors.push(fieldError(source, path, `\`${EvseID}\` is not a valid EvseID (e.g. DE*ABC*E123*1)`));
    } else if (!owners.has(normalizePartnerId(operator))) {
      const message =
        `EvseID \`${EvseID}\` belongs to operator ${operator}, not to ${cpo.id} or its subPartnerIds ` +
        '(HBS answers 018)';
      errors.push(fieldError(source, path, message));
    }
    const normalized = EvseID.replace(/\*/g, '').toUpperCase();
    const first = firstIndex.get(normalized);
    if (first === undefined) firstIndex.set(normalized, i);
    else errors.push(fieldError(source, path, `EvseID \`${EvseID}\` is listed twice (also EvseDataRecord[${first}])`));
  });
  // Typed from here on: every record was checked against the OICP EvseDataRecord above (any error stops the load).
  return { operatorId: cpo.id, records: file.EvseDataRecord as EvseDataRecord[], errors };
}

/**
 * A record that is not a valid OICP EvseDataRecord, reported at its field in the file: HBS would refuse the push
 * (the virtual station's) or the preload with no more than a JSON pointer. @see OICP 2.3 CPO 03, EvseDataRecord
 */
function recordErrors(record: unknown, index: number, source: SourceFile): FieldError[] {
  return validateComponent('EvseDataRecord', record)
    .filter((v) => v.severity === 'error' && !v.pointer.endsWith('/EvseID') && v.pointer !== '/EvseID')
    .map((v) =>
      fieldError(source, ['EvseDataRecord', index, ...pointerSegments(v.pointer)], `not valid OICP: ${v.message}`),
    );
}

function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => {
      const decoded = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(decoded) ? Number(decoded) : decoded;
    });
}
