import type { EvseDataRecord } from '../../oicp/messages.js';
import { matchesPattern, ownedIds, providerOfEvcoId } from '../../oicp/patterns.js';
import type { FieldError } from '../../shared/errors.js';
import { fieldError } from '../diagnostics.js';
import type { SourceFile } from '../source.js';
import type { Partner, StationStatus, VirtualEmpConfig, VirtualStationConfig } from './types.js';
import { VIRTUAL_DEFAULTS, type VirtualFile } from './virtual-schema.js';

/**
 * The cross-file half of simulator/virtual/<key>.yaml: the key must name a partner, the block must match its role,
 * a station needs its evse/<key>.json, and customers' EvcoIDs must belong to the EMP (HBS refuses others with 019).
 */

export type ResolvedVirtual = { station: VirtualStationConfig } | { emp: VirtualEmpConfig } | { errors: FieldError[] };

export function resolveVirtual(
  key: string,
  file: VirtualFile,
  source: SourceFile,
  partners: readonly Partner[],
  evseRecords: EvseDataRecord[] | undefined,
): ResolvedVirtual {
  const partner = partners.find((p) => p.key === key);
  if (!partner) {
    const known = partners.map((p) => p.key).join(', ');
    return {
      errors: [
        {
          path: '',
          message: `no partner file partners/${key}.yaml for this virtual actor; known keys: ${known}`,
          line: 1,
          col: 1,
        },
      ],
    };
  }
  const wrong = partner.role === 'CPO' ? 'emp' : 'station';
  const right = partner.role === 'CPO' ? 'station' : 'emp';
  if (file[wrong])
    return {
      errors: [
        fieldError(
          source,
          [wrong],
          `${key} is ${partner.role === 'EMP' ? 'an' : 'a'} ${partner.role}; use \`${right}:\` here`,
          'key',
        ),
      ],
    };
  if (!file[right])
    return {
      errors: [
        {
          path: '',
          message: `${key} is ${partner.role === 'EMP' ? 'an' : 'a'} ${partner.role}: add a \`${right}:\` block`,
          line: 1,
          col: 1,
        },
      ],
    };
  return partner.role === 'CPO'
    ? resolveStation(partner, file, source, evseRecords)
    : resolveEmp(partner, file, source);
}

function resolveStation(
  partner: Partner,
  file: VirtualFile,
  source: SourceFile,
  records: EvseDataRecord[] | undefined,
): ResolvedVirtual {
  const s = file.station!;
  if (!records || records.length === 0) {
    return {
      errors: [
        fieldError(
          source,
          ['station'],
          `a virtual station needs its EVSEs in evse/${partner.key}.json (at least one EvseDataRecord)`,
          'key',
        ),
      ],
    };
  }
  const ids = new Map(records.map((r) => [r.EvseID.toUpperCase(), r.EvseID]));
  const errors: FieldError[] = [];
  for (const evseId of Object.keys(s.evses ?? {})) {
    if (!ids.has(evseId.toUpperCase())) {
      errors.push(
        fieldError(source, ['station', 'evses', evseId], `EvseID ${evseId} is not in evse/${partner.key}.json`, 'key'),
      );
    }
  }
  if (errors.length > 0) return { errors };
  const meterStartKWh = s.meterStartKWh ?? VIRTUAL_DEFAULTS.meterStartKWh;
  const evses: VirtualStationConfig['evses'] = {};
  for (const evseId of ids.values()) {
    const own = Object.entries(s.evses ?? {}).find(([k]) => k.toUpperCase() === evseId.toUpperCase())?.[1];
    evses[evseId] = {
      status: (own?.status ?? 'Available') as StationStatus,
      meterStartKWh: own?.meterStartKWh ?? meterStartKWh,
    };
  }
  return {
    station: {
      partnerKey: partner.key,
      operatorId: partner.id,
      operatorName: partner.name,
      evseData: records,
      evses,
      vehiclePowerKw: s.vehiclePowerKw ?? VIRTUAL_DEFAULTS.vehiclePowerKw,
      autoPlug: s.autoPlug ?? VIRTUAL_DEFAULTS.autoPlug,
      plugDelaySeconds: s.plugDelaySeconds ?? VIRTUAL_DEFAULTS.plugDelaySeconds,
      plugTimeoutSeconds: s.plugTimeoutSeconds ?? VIRTUAL_DEFAULTS.plugTimeoutSeconds,
      progressIntervalSeconds: s.progressIntervalSeconds ?? VIRTUAL_DEFAULTS.progressIntervalSeconds,
      cdrDelaySeconds: s.cdrDelaySeconds ?? VIRTUAL_DEFAULTS.cdrDelaySeconds,
      ...(s.maxChargingMinutes === undefined ? {} : { maxChargingMinutes: s.maxChargingMinutes }),
    },
  };
}

function resolveEmp(partner: Partner, file: VirtualFile, source: SourceFile): ResolvedVirtual {
  const e = file.emp!;
  const errors: FieldError[] = [];
  const own = ownedIds(partner);
  const seen = new Map<string, number>();
  e.customers.forEach((c, i) => {
    const at = ['emp', 'customers', i];
    if (!c.evcoId && !c.uid) errors.push(fieldError(source, at, `customer ${c.name} needs an evcoId, a uid or both`));
    if (c.evcoId && !matchesPattern('EvcoID', c.evcoId)) {
      errors.push(fieldError(source, [...at, 'evcoId'], `${c.evcoId} is not an OICP EvcoID (e.g. DE-VEM-C00000001-1)`));
      return;
    }
    if (c.uid && !matchesPattern('UID', c.uid)) {
      errors.push(fieldError(source, [...at, 'uid'], `${c.uid} is not an OICP UID: 8, 14 or 20 upper-case hex digits`));
    }
    const provider = c.evcoId ? providerOfEvcoId(c.evcoId) : undefined;
    if (c.evcoId && (!provider || !own.has(provider))) {
      errors.push(
        fieldError(source, [...at, 'evcoId'], `EvcoID ${c.evcoId} does not belong to ProviderID ${partner.id}`),
      );
    }
    for (const [field, value] of [
      ['evcoId', c.evcoId],
      ['uid', c.uid],
    ] as const) {
      if (!value) continue;
      const k = `${field}:${value.toUpperCase()}`;
      const first = seen.get(k);
      if (first !== undefined)
        errors.push(fieldError(source, [...at, field], `${value} is already customer ${e.customers[first]!.name}'s`));
      else seen.set(k, i);
    }
  });
  if (errors.length > 0) return { errors };
  return {
    emp: {
      partnerKey: partner.key,
      providerId: partner.id,
      mode: e.mode ?? 'online',
      customers: e.customers.map((c) => ({
        name: c.name,
        ...(c.evcoId ? { evcoId: c.evcoId } : {}),
        ...(c.uid ? { uid: c.uid } : {}),
        ...(c.pin ? { pin: c.pin } : {}),
        blocked: c.blocked ?? false,
      })),
    },
  };
}
