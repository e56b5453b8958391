/**
 * Identification: how a driver identifies (RFID card, QR code + PIN, Plug&Charge, remote/app).
 * @see OICP 2.3 CPO, 03 Data Types, IdentificationType; OICP 2.3 CPO OpenAPI, schemas Identification and UID
 */
import { type Static, Type } from '@sinclair/typebox';
import { PATTERNS } from '../patterns.js';
import { EvcoID, nonNullObject, Opt, RULE_KEYWORD, type RuleName, StringEnum, Text, UID } from './common.js';
import { HASH_FUNCTIONS, LEGACY_HASH_FUNCTIONS, RFID_TYPES } from './enums.js';

export const RFIDMifareFamilyIdentification = Type.Object({ UID });

export const RFIDIdentification = Type.Object({
  UID,
  EvcoID: Opt(EvcoID),
  RFID: StringEnum(RFID_TYPES),
  PrintedNumber: Opt(Text(150)),
  // A plain string in the OA (no format), so no date-time check here.
  ExpiryDate: Opt(Type.String()),
});

export const HashedPIN = Type.Object({
  Value: Type.String({ pattern: PATTERNS.HashedPINValue, title: 'HashedPIN.Value (10–100 hash characters)' }),
  Function: StringEnum(HASH_FUNCTIONS),
  LegacyHashData: Opt(
    Type.Object({
      Function: StringEnum(LEGACY_HASH_FUNCTIONS),
      Salt: Opt(Text(100)),
      Value: Opt(Text(20)),
    }),
  ),
});

/** PIN in clear for authorization requests; HashedPIN only when uploading authentication data. */
export const QRCodeIdentification = Type.Object({
  EvcoID,
  HashedPIN: Opt(HashedPIN),
  PIN: Opt(Text(20)),
});

export const PlugAndChargeIdentification = Type.Object({ EvcoID });
export const RemoteIdentification = Type.Object({ EvcoID });

export const IDENTIFICATION_MEDIA = [
  'RFIDMifareFamilyIdentification',
  'RFIDIdentification',
  'QRCodeIdentification',
  'PlugAndChargeIdentification',
  'RemoteIdentification',
] as const;
export type IdentificationMedium = (typeof IDENTIFICATION_MEDIA)[number];

/**
 * Exactly one medium may be non-null (OICP 2.3 CPO, 03 Data Types, IdentificationType). The OpenAPI schema does not
 * say so and its own examples carry all five; the `oneOf` over "member is a non-null object" enforces it in plain
 * JSON Schema.
 */
export const Identification = Type.Object(
  {
    RFIDMifareFamilyIdentification: Opt(RFIDMifareFamilyIdentification),
    RFIDIdentification: Opt(RFIDIdentification),
    QRCodeIdentification: Opt(QRCodeIdentification),
    PlugAndChargeIdentification: Opt(PlugAndChargeIdentification),
    RemoteIdentification: Opt(RemoteIdentification),
  },
  {
    oneOf: IDENTIFICATION_MEDIA.map(nonNullObject),
    [RULE_KEYWORD]: 'exactlyOneIdentification' satisfies RuleName,
  },
);
export type Identification = Static<typeof Identification>;
