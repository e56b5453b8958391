import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { ChargeDetailRecord } from '../../oicp/messages.js';

/**
 * A calibration-law meter (German Eichrecht style) for EVSEs whose CalibrationLawDataAvailability is `External`:
 * the meter signs its readings, and the CDR carries them as SignedMeteringValues — Start, then End — with the
 * public key a driver's transparency software needs to verify them (OICP 2.3 CPO, 03 Data Types: MUST for External,
 * in that order).
 * Readings are OCMF (Open Charge Metering Format, the format the S.A.F.E. transparency software reads), signed
 * with ECDSA P-256 / SHA-256 by a key of the EVSE's meter.
 */

export interface MeterReading {
  at: Date;
  kWh: number;
  status: 'Start' | 'End';
}

export const SIGNATURE_ALGORITHM = 'ECDSA-secp256r1-SHA256';

/** Who the meter says started the session: OCMF's identification type and the token itself. */
export interface MeterIdentification {
  /** ISO14443 an RFID card, ISO15118 Plug&Charge, CENTRAL a backend's authorization (remote start, QR code). */
  type: 'ISO14443' | 'ISO15118' | 'CENTRAL';
  id: string;
}

export class SignedMeter {
  private readonly privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo, hex: what CalibrationLawVerificationInfo.PublicKey carries (182 characters). */
  readonly publicKeyHex: string;

  constructor(private readonly serial: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = pair.privateKey;
    this.publicKeyHex = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
  }

  /** The CDR fields of a session's signed readings at an External EVSE. */
  cdrFields(
    readings: readonly MeterReading[],
    identification: MeterIdentification,
  ): Pick<ChargeDetailRecord, 'SignedMeteringValues' | 'CalibrationLawVerificationInfo'> {
    return {
      SignedMeteringValues: readings.map((r) => ({
        SignedMeteringValue: this.ocmf(r, identification),
        MeteringStatus: r.status,
      })),
      CalibrationLawVerificationInfo: {
        CalibrationLawCertificateID: 'hbs-sim virtual meter : V1 : 01Jan2026',
        PublicKey: this.publicKeyHex,
        MeteringSignatureEncodingFormat: 'OCMF',
        SignedMeteringValuesVerificationInstruction:
          'Verify each OCMF value with the public key (SPKI DER, hex; ECDSA P-256, SHA-256), e.g. in the S.A.F.E. transparency software.',
      },
    };
  }

  private ocmf(r: MeterReading, identification: MeterIdentification): string {
    const payload = JSON.stringify({
      FV: '1.0',
      GI: 'hbs-sim virtual meter',
      GS: this.serial,
      PG: r.status === 'Start' ? 'T1' : 'T2',
      IS: true,
      IT: identification.type,
      ID: identification.id,
      RD: [
        {
          TM: ocmfTime(r.at),
          TX: r.status === 'Start' ? 'B' : 'E',
          RV: r.kWh,
          RI: '01-00:B2.08.00.FF',
          RU: 'kWh',
          ST: 'G',
        },
      ],
    });
    const signature = sign('sha256', Buffer.from(payload), this.privateKey).toString('hex');
    return `OCMF|${payload}|${JSON.stringify({ SA: SIGNATURE_ALGORITHM, SD: signature })}`;
  }
}

/** OCMF time: `2026-11-28T10:00:00,000+0000 S` (comma decimal, numeric offset, S = synchronised clock). */
function ocmfTime(d: Date): string {
  return `${d.toISOString().replace('.', ',').replace('Z', '+0000')} S`;
}
