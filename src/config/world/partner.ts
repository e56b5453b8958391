import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OPERATIONS, type OperationId, type Role, type ServiceType } from '../../oicp/operations.js';
import { matchesPattern, PATTERNS } from '../../oicp/patterns.js';
import type { FieldError } from '../../shared/errors.js';
import { fieldError } from '../diagnostics.js';
import type { PathSegment, SourceFile } from '../source.js';
import { type PartnerFile, SERVICE_TYPE_DEFAULTS, type ServiceTypeSettingFile } from './schema.js';
import type { Partner, ServiceTypeSetting } from './types.js';

/**
 * A schema-valid partner file → a resolved Partner, with the rules a schema cannot say: the ID pattern depends on
 * the role, Hubject's portal requires Online Request before a Service URL or Broadcast, and an operation URL only
 * makes sense for an operation HBS actually sends to that role under that service type.
 * @see OICP 2.3 CPO OpenAPI, schemas OperatorID and ProviderID; Hubject support article "Service Type Settings (CPO)"
 */

const ID_RULES: Record<Role, { name: 'OperatorID' | 'ProviderID'; examples: string; other: Role }> = {
  CPO: { name: 'OperatorID', examples: 'DE*A36, DEA36, +49*536', other: 'EMP' },
  EMP: { name: 'ProviderID', examples: 'DE-8EO, DE8EO, DE*8EO', other: 'CPO' },
};

/** The message for an ID that does not fit the role's OICP pattern, or undefined when it fits. */
export function checkPartnerId(id: string, role: Role): string | undefined {
  const rule = ID_RULES[role];
  if (matchesPattern(rule.name, id)) return undefined;
  const otherName = ID_RULES[rule.other].name;
  const hint = matchesPattern(otherName, id) ? ` It looks like a ${otherName}; is \`role\` right?` : '';
  const pattern = PATTERNS[rule.name];
  return `\`${id}\` is not a valid ${rule.name} for a ${role} (pattern ${pattern}; e.g. ${rule.examples}).${hint}`;
}

/** Checks and resolves one partner file; `worldDir` anchors its relative serverCaFile and clientCaFile. */
export async function resolvePartner(
  key: string,
  file: PartnerFile,
  source: SourceFile,
  worldDir: string,
): Promise<{ partner: Partner; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const idProblem = checkPartnerId(file.id, file.role);
  if (idProblem) errors.push(fieldError(source, ['id'], idProblem));
  (file.subPartnerIds ?? []).forEach((sub, i) => {
    const problem = checkPartnerId(sub, file.role);
    if (problem) errors.push(fieldError(source, ['subPartnerIds', i], problem));
  });

  const serviceTypes: Partial<Record<ServiceType, ServiceTypeSetting>> = {};
  for (const [type, setting] of Object.entries(file.serviceTypes ?? {}) as [ServiceType, ServiceTypeSettingFile][]) {
    errors.push(...checkServiceType(file.role, type, setting, source));
    serviceTypes[type] = resolveSetting(setting);
  }

  // Read now, not at the first forward or handshake: an unreadable CA would otherwise fail one with an internal error.
  const serverCaFile = await caFile(file.serverCaFile, 'serverCaFile', worldDir, source, errors);
  const clientCaFile = await caFile(file.clientCaFile, 'clientCaFile', worldDir, source, errors);

  const partner: Partner = {
    key,
    id: file.id,
    role: file.role,
    name: file.name,
    locked: file.locked ?? false,
    subPartnerIds: [...(file.subPartnerIds ?? [])],
    serviceTypes,
    ...(serverCaFile === undefined ? {} : { serverCaFile }),
    ...(clientCaFile === undefined ? {} : { clientCaFile }),
  };
  return { partner, errors };
}

/** A CA file setting resolved from `dir`, checked to be readable and to hold PEM certificates; problems to `errors`. */
async function caFile(
  value: string | undefined,
  field: 'serverCaFile' | 'clientCaFile',
  dir: string,
  source: SourceFile,
  errors: FieldError[],
): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const path = resolve(dir, value);
  const problem = await readFile(path, 'utf8').then(
    (text) =>
      text.includes('-----BEGIN CERTIFICATE-----')
        ? undefined
        : `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    (e: NodeJS.ErrnoException) =>
      e.code === 'ENOENT'
        ? `file not found: ${path}`
        : `cannot read ${path}: ${e.code ?? e.message}${e.code === 'EACCES' ? ', permission denied; make it readable for this user' : ''}`,
  );
  if (problem) errors.push(fieldError(source, [field], problem));
  return path;
}

function resolveSetting(s: ServiceTypeSettingFile): ServiceTypeSetting {
  return {
    onlineRequest: s.onlineRequest ?? SERVICE_TYPE_DEFAULTS.onlineRequest,
    broadcast: s.broadcast ?? SERVICE_TYPE_DEFAULTS.broadcast,
    // The operation path is appended to it; a trailing slash would double the separator.
    ...(s.serviceUrl === undefined ? {} : { serviceUrl: s.serviceUrl.replace(/\/+$/, '') }),
    operationUrls: { ...(s.operationUrls ?? {}) },
    clientCertification: s.clientCertification ?? SERVICE_TYPE_DEFAULTS.clientCertification,
  };
}

function checkServiceType(role: Role, type: ServiceType, s: ServiceTypeSettingFile, source: SourceFile): FieldError[] {
  const errors: FieldError[] = [];
  const at = (...rest: PathSegment[]): PathSegment[] => ['serviceTypes', type, ...rest];
  const operationIds = Object.keys(s.operationUrls ?? {}) as OperationId[];

  if (s.onlineRequest !== true) {
    const needsOnline: [keyof ServiceTypeSettingFile, boolean][] = [
      ['serviceUrl', s.serviceUrl !== undefined],
      ['broadcast', s.broadcast === true],
      ['operationUrls', operationIds.length > 0],
    ];
    for (const [field] of needsOnline.filter(([, isSet]) => isSet)) {
      const message =
        `${field} needs \`onlineRequest: true\`: Hubject requires Online Request to be enabled before a Service URL ` +
        `or Broadcast can be set (Hubject support article "Service Type Settings (${role})")`;
      errors.push(fieldError(source, at(field), message, 'key'));
    }
  }
  if (s.broadcast === true && (role !== 'EMP' || type !== 'authorization')) {
    const message =
      "broadcast only applies to an EMP's authorization service type: HBS broadcasts AuthorizeStart to EMPs";
    errors.push(fieldError(source, at('broadcast'), message, 'key'));
  }
  if (s.serviceUrl !== undefined) {
    const problem = checkUrl(s.serviceUrl, false);
    if (problem) errors.push(fieldError(source, at('serviceUrl'), problem));
  }
  const sentHere = Object.values(OPERATIONS)
    .filter((op) => op.serviceType === type && op.forwardedTo === role)
    .map((op) => op.id);
  for (const id of operationIds) {
    if (!sentHere.includes(id)) {
      const which = sentHere.length > 0 ? `operations it sends here: ${sentHere.join(', ')}` : 'it sends none here';
      const message = `HBS never sends ${id} to a ${role} under \`${type}\`; ${which}`;
      errors.push(fieldError(source, at('operationUrls', id), message, 'key'));
    }
    const problem = checkUrl(s.operationUrls?.[id] ?? '', true);
    if (problem) errors.push(fieldError(source, at('operationUrls', id), problem));
  }
  return errors;
}

/** The placeholders fillPath() in src/oicp/operations.ts fills in. */
const PLACEHOLDERS = ['operatorID', 'providerID', 'externalID'];

/** Why `url` is not usable as a partner URL, or undefined when it is. */
function checkUrl(url: string, fullUrl: boolean): string | undefined {
  // The portal refuses blanks in a Service URL (Hubject support article "Service Type Settings (CPO)"); an encoded
  // %20 is the way to have one.
  if (/\s/.test(url)) return `\`${url}\` contains a blank; Hubject does not accept blanks in URLs`;
  const unknown = [...url.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => !PLACEHOLDERS.some((p) => p.toLowerCase() === name.toLowerCase()));
  if (unknown.length > 0) {
    return `unknown placeholder {${unknown[0]}}; allowed: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{[^}]*\}/g, 'X'));
  } catch {
    return `\`${url}\` is not a valid URL (expected e.g. https://partner.example/oicp)`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `\`${url}\` must start with https:// (or http:// for a partner without TLS)`;
  }
  if (!fullUrl && (parsed.search || parsed.hash)) {
    return (
      `\`${url}\` has a query string or fragment, but the operation path is appended to a serviceUrl; ` +
      'put full URLs under operationUrls'
    );
  }
  return undefined;
}
