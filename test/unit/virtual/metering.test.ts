import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../../src/oicp/validate.js';
import { SIGNATURE_ALGORITHM, SignedMeter } from '../../../src/partners/station/metering.js';
import { cdr } from '../../helpers/messages.js';

/**
 * The virtual calibration-law meter: what it puts into a CDR must be schema-valid OICP and verifiable by anyone
 * holding the public key from CalibrationLawVerificationInfo, as a driver's transparency software would.
 */

/** The payload of one OCMF value when its signature verifies against the hex SPKI key, else undefined. */
function verifyOcmf(value: string, publicKeyHex: string): Record<string, unknown> | undefined {
  const parts = /^OCMF\|(\{.*\})\|(\{.*\})$/s.exec(value);
  if (!parts) return undefined;
  const { SA, SD } = JSON.parse(parts[2]!) as { SA?: string; SD?: string };
  if (SA !== SIGNATURE_ALGORITHM || typeof SD !== 'string') return undefined;
  const key = createPublicKey({ key: Buffer.from(publicKeyHex, 'hex'), format: 'der', type: 'spki' });
  return verify('sha256', Buffer.from(parts[1]!), key, Buffer.from(SD, 'hex'))
    ? (JSON.parse(parts[1]!) as Record<string, unknown>)
    : undefined;
}

const readings = [
  { at: new Date('2026-11-28T10:00:00.000Z'), kWh: 1000, status: 'Start' as const },
  { at: new Date('2026-11-28T10:30:00.250Z'), kWh: 1005.5, status: 'End' as const },
];

describe('SignedMeter', () => {
  it('signs Start and End readings in OCMF that verify with the public key it publishes', () => {
    const meter = new SignedMeter('DE*RCP*E0002*2 meter');
    const fields = meter.cdrFields(readings, { type: 'ISO14443', id: '5A6B7C8D' });
    expect(fields.SignedMeteringValues!.map((v) => v.MeteringStatus)).toEqual(['Start', 'End']);
    const payloads = fields.SignedMeteringValues!.map((v) =>
      verifyOcmf(v.SignedMeteringValue!, fields.CalibrationLawVerificationInfo!.PublicKey!),
    );
    expect(payloads[0]).toMatchObject({
      GS: 'DE*RCP*E0002*2 meter',
      IT: 'ISO14443',
      ID: '5A6B7C8D',
      RD: [{ TM: '2026-11-28T10:00:00,000+0000 S', TX: 'B', RV: 1000, RU: 'kWh' }],
    });
    expect(payloads[1]).toMatchObject({ RD: [{ TM: '2026-11-28T10:30:00,250+0000 S', TX: 'E', RV: 1005.5 }] });
    expect(fields.CalibrationLawVerificationInfo).toMatchObject({ MeteringSignatureEncodingFormat: 'OCMF' });
  });

  it("a changed reading or another meter's key does not verify", () => {
    const meter = new SignedMeter('a');
    const value = meter.cdrFields(readings, { type: 'ISO14443', id: '5A6B7C8D' }).SignedMeteringValues![1]!
      .SignedMeteringValue!;
    expect(verifyOcmf(value.replace('"RV":1005.5', '"RV":1015.5'), meter.publicKeyHex)).toBeUndefined();
    expect(verifyOcmf(value, new SignedMeter('b').publicKeyHex)).toBeUndefined();
    expect(verifyOcmf(value, meter.publicKeyHex)).toBeDefined();
  });

  it('fits the OICP ChargeDetailRecord schema (lengths of every field)', () => {
    const record = {
      ...cdr('b2688855-7f00-0002-6d8e-48d883f6abb6', 'DE*RCP*E0002*2'),
      ...new SignedMeter('DE*RCP*E0002*2 meter').cdrFields(readings, { type: 'CENTRAL', id: 'DE-REM-C00000001-4' }),
    };
    expect(validateMessage('ChargeDetailRecord', 'request', record)).toEqual([]);
  });
});
