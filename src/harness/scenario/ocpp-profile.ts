import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { fieldError } from '../../config/diagnostics.js';
import type { PathSegment, SourceFile } from '../../config/source.js';
import type { Partner } from '../../config/world/types.js';
import { matchesPattern, operatorOfEvseId, ownedIds } from '../../oicp/patterns.js';
import type { FieldError } from '../../shared/errors.js';

/**
 * The `ocpp:` block of a CPO's profile: the CSMS its charge points connect to and which connector is which EvseID.
 * With it the harness runs virtual OCPP 1.6-J charge points against the CSMS, and the catalogue's station actions
 * (swipe, plug, unplug, stop, setStatus, reportError, stopCharging) happen at them instead of through triggers.
 */

export const OcppProfileSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^wss?://',
      description: "The CSMS's OCPP 1.6-J endpoint; each charge point's identity is appended as the last path segment.",
    }),
    caFile: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'wss://: the CA (PEM) the CSMS certificate is signed by, if not one the system trusts.',
      }),
    ),
    callTimeoutMs: Type.Optional(
      Type.Integer({
        minimum: 1000,
        maximum: 600_000,
        description: 'Protocol milliseconds a charge point waits for the CSMS to answer a call; default 30000.',
      }),
    ),
    statusPushWithinMs: Type.Optional(
      Type.Integer({
        minimum: 1000,
        maximum: 600_000,
        description:
          'CPO-18: protocol milliseconds your CSMS has to push the EVSE status a StatusNotification reported; default 30000 (OICP sets no number).',
      }),
    ),
    chargePoints: Type.Array(
      Type.Object(
        {
          id: Type.String({
            pattern: '^[A-Za-z0-9*_.:-]{1,48}$',
            description: 'The charge point identity the CSMS knows (chargeBoxIdentity).',
          }),
          password: Type.Optional(
            Type.String({ minLength: 1, description: 'Security profile 1/2: its HTTP Basic auth password.' }),
          ),
          passwordEnv: Type.Optional(
            Type.String({
              pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
              description: 'The password from this environment variable (a CI secret) instead of `password`.',
            }),
          ),
          connectors: Type.Record(Type.String({ pattern: '^[1-9][0-9]{0,2}$' }), Type.String({ minLength: 1 }), {
            description: 'Connector ID (1, 2, …) → the EvseID the CPO publishes for it.',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  {
    additionalProperties: false,
    description: 'CPO: run virtual OCPP 1.6-J charge points against your CSMS; station actions happen at them.',
  },
);
export type OcppProfileFile = Static<typeof OcppProfileSchema>;

/** The `ocpp:` block resolved: passwords read, the CA file's text loaded, connectors as numbers. */
export interface OcppProfile {
  url: string;
  ca?: string;
  callTimeoutMs?: number;
  /** Protocol milliseconds the CSMS has to push a reported status (CPO-18); STATUS_FOLLOW_MS when absent. */
  statusPushWithinMs?: number;
  chargePoints: Array<{
    id: string;
    password?: string;
    connectors: Array<{ connectorId: number; evseId: string }>;
  }>;
}

/** Checks the block against the partner (a CPO's own EvseIDs, each at one connector) and resolves it. */
export async function resolveOcpp(
  file: OcppProfileFile,
  partner: Partner,
  source: SourceFile,
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ocpp: OcppProfile; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const at = (...rest: PathSegment[]): PathSegment[] => ['ocpp', ...rest];
  if (partner.role !== 'CPO') errors.push(fieldError(source, at(), 'only a CPO has charge points: remove `ocpp`'));
  const own = ownedIds(partner);
  const seen = new Map<string, string>();
  const ids = new Set<string>();
  const chargePoints = file.chargePoints.map((cp, i) => {
    if (ids.has(cp.id))
      errors.push(fieldError(source, at('chargePoints', i, 'id'), `charge point ${cp.id} is listed twice`));
    ids.add(cp.id);
    let password = cp.password;
    if (cp.password !== undefined && cp.passwordEnv !== undefined) {
      errors.push(fieldError(source, at('chargePoints', i), 'give `password` or `passwordEnv`, not both'));
    } else if (cp.passwordEnv !== undefined) {
      password = env[cp.passwordEnv];
      if (!password) {
        errors.push(
          fieldError(
            source,
            at('chargePoints', i, 'passwordEnv'),
            `the environment variable ${cp.passwordEnv} is not set`,
          ),
        );
      }
    }
    const connectors = Object.entries(cp.connectors).map(([key, evseId]) => {
      const where = at('chargePoints', i, 'connectors', key);
      const operator = operatorOfEvseId(evseId);
      if (!matchesPattern('EvseID', evseId)) errors.push(fieldError(source, where, `${evseId} is not an OICP EvseID`));
      else if (!operator || !own.has(operator))
        errors.push(fieldError(source, where, `${evseId} is not an EVSE of ${partner.id}`));
      const other = seen.get(evseId.toUpperCase());
      if (other) errors.push(fieldError(source, where, `${evseId} is already connector ${other}`));
      seen.set(evseId.toUpperCase(), `${key} of ${cp.id}`);
      return { connectorId: Number(key), evseId };
    });
    if (connectors.length === 0) {
      errors.push(
        fieldError(source, at('chargePoints', i, 'connectors'), 'a charge point needs at least one connector'),
      );
    }
    return { id: cp.id, ...(password ? { password } : {}), connectors };
  });
  let ca: string | undefined;
  if (file.caFile !== undefined) {
    const path = resolve(dir, file.caFile);
    ca = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      errors.push(
        fieldError(
          source,
          at('caFile'),
          e.code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${e.code ?? e.message}`,
        ),
      );
      return undefined;
    });
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
      errors.push(fieldError(source, at('caFile'), `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`));
    }
  }
  return {
    ocpp: {
      url: file.url,
      ...(ca ? { ca } : {}),
      ...(file.callTimeoutMs ? { callTimeoutMs: file.callTimeoutMs } : {}),
      ...(file.statusPushWithinMs ? { statusPushWithinMs: file.statusPushWithinMs } : {}),
      chargePoints,
    },
    errors,
  };
}
