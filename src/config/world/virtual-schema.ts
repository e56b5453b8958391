import { type Static, Type } from '@sinclair/typebox';
import { EVSE_STATUSES } from '../../oicp/schemas/enums.js';
import { FORMAT_VERSION } from './schema.js';

// OICP's identifier patterns are checked by the resolver (src/config/world/virtual.ts) with the OICP model's own matcher:
// they are written for non-unicode regular expressions, which this loader's ajv does not use.

/**
 * Schema of simulator/virtual/<partner key>.yaml: how the simulator plays that partner. A CPO file has `station:`
 * (its EVSEs come from evse/<key>.json), an EMP file has `emp:`. Defaults live in VIRTUAL_DEFAULTS so the loader,
 * the editor schema and the README agree.
 */

export const VIRTUAL_DEFAULTS = Object.freeze({
  meterStartKWh: 1000,
  vehiclePowerKw: 11,
  autoPlug: true,
  plugDelaySeconds: 5,
  plugTimeoutSeconds: 300,
  // OICP asks for Progress notifications at most every 5 minutes (OICP 2.3 CPO, 02 Services and Operations,
  // eRoamingChargingNotifications).
  progressIntervalSeconds: 300,
  // Hubject's CDR article: about 1 s after the session closes, at most 10 s (checklist CPO-12).
  cdrDelaySeconds: 1,
  reservationMinutes: 15,
});

const seconds = (def: number, description: string) =>
  Type.Optional(
    Type.Number({
      minimum: 0,
      default: def,
      description: `${description} Protocol seconds (the time scale compresses them); default ${def}.`,
    }),
  );

// Only states a station can be in; EvseNotFound is HBS's answer for an unknown EvseID, never a station state.
const STATION_STATUSES = EVSE_STATUSES.filter((s) => s !== 'EvseNotFound');

const StationEvse = Type.Object(
  {
    status: Type.Optional(
      Type.Unsafe<string>({
        type: 'string',
        enum: STATION_STATUSES,
        default: 'Available',
        description: 'EVSE status at start.',
      }),
    ),
    meterStartKWh: Type.Optional(
      Type.Number({ minimum: 0, description: 'Meter reading at start, kWh; default the station-wide value.' }),
    ),
  },
  { additionalProperties: false },
);

const Station = Type.Object(
  {
    evses: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), StationEvse, {
        description: 'Per-EVSE start state, keyed by EvseID; EVSEs not listed start Available.',
      }),
    ),
    meterStartKWh: Type.Optional(
      Type.Number({
        minimum: 0,
        default: VIRTUAL_DEFAULTS.meterStartKWh,
        description: 'Meter reading of every EVSE at start, kWh.',
      }),
    ),
    vehiclePowerKw: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        default: VIRTUAL_DEFAULTS.vehiclePowerKw,
        description: "Power the car draws, capped by the EVSE's ChargingFacilities Power.",
      }),
    ),
    autoPlug: Type.Optional(
      Type.Boolean({
        default: VIRTUAL_DEFAULTS.autoPlug,
        description: 'After an authorization a car plugs in by itself (else call the plug action).',
      }),
    ),
    plugDelaySeconds: seconds(VIRTUAL_DEFAULTS.plugDelaySeconds, 'Authorization to plug-in when autoPlug is on.'),
    plugTimeoutSeconds: seconds(
      VIRTUAL_DEFAULTS.plugTimeoutSeconds,
      'An authorization with no car plugged in lapses after this.',
    ),
    progressIntervalSeconds: seconds(
      VIRTUAL_DEFAULTS.progressIntervalSeconds,
      'Interval of ChargingNotification Progress; 0 sends none.',
    ),
    cdrDelaySeconds: seconds(VIRTUAL_DEFAULTS.cdrDelaySeconds, 'Session end to ChargeDetailRecord upload.'),
    maxChargingMinutes: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'The car is full after this and charging ends by itself; default: until stopped.',
      }),
    ),
  },
  { additionalProperties: false, description: 'The simulator plays this CPO as a virtual charging station operator.' },
);

const Customer = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Shown in logs and the control API.' }),
    evcoId: Type.Optional(
      Type.String({ minLength: 1, description: 'Contract ID (EvcoID) for remote start, QR code and Plug&Charge.' }),
    ),
    uid: Type.Optional(Type.String({ minLength: 1, description: 'RFID card UID (upper-case hex, 8/14/20 digits).' })),
    pin: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'PIN for QR-code authorization.' })),
    blocked: Type.Optional(Type.Boolean({ default: false, description: 'A blocked card is answered NotAuthorized.' })),
  },
  { additionalProperties: false },
);

const Emp = Type.Object(
  {
    mode: Type.Optional(
      Type.Unsafe<'online' | 'offline'>({
        type: 'string',
        enum: ['online', 'offline'],
        default: 'online',
        description:
          'online: answers forwarded AuthorizeStart/Stop; offline: pushes its customers as authentication data at start.',
      }),
    ),
    customers: Type.Array(Customer, {
      minItems: 1,
      description: "The EMP's customers: contracts and cards it authorizes.",
    }),
  },
  { additionalProperties: false, description: 'The simulator plays this EMP as a virtual e-mobility provider.' },
);

export const VirtualFileSchema = Type.Object(
  {
    version: Type.Literal(FORMAT_VERSION, { description: 'File format version; must be 1.' }),
    station: Type.Optional(Station),
    emp: Type.Optional(Emp),
  },
  { additionalProperties: false, description: 'simulator/virtual/<partner key>.yaml: how hbs-sim plays this partner.' },
);
export type VirtualFile = Static<typeof VirtualFileSchema>;
