import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as realSleep } from 'node:timers/promises';
import type { OperationId, Role } from '../../oicp/operations.js';
import type { SchemaViolation } from '../../oicp/violations.js';
import { SimError } from '../../shared/errors.js';
import type { EndpointHandlers } from '../kit/endpoint.js';
import type { HubSender } from '../kit/hub-link.js';

/**
 * Quirks: what real backends do that is not a defect (`hbs-sim reference cpo --quirk <name>`). A fault breaks a
 * rule and must fail the items it targets; a quirk is a partner unlike ours that still keeps every rule, so the
 * harness must pass it on every item that applies (the self-test proves that, and that faults still fail only their
 * items with a quirk on). Where a quirk leaves out an optional service, the items that need it are skipped, and the
 * table names them.
 */

export interface ReferenceQuirk {
  roles: readonly Role[];
  description: string;
  /** Checklist IDs skipped with it on (their service type is not declared), each role's own. */
  skips?: readonly string[];
}

export const REFERENCE_QUIRKS = {
  closeAfterError: {
    roles: ['CPO', 'EMP'],
    description:
      'closes the keep-alive connection after answering an error (`Connection: close` on every HTTP error and every Result false)',
  },
  strictValidator: {
    roles: ['CPO', 'EMP'],
    description:
      'validates requests in its web framework, as FastAPI/pydantic does: a body that is not JSON, breaks the OICP schema or has a property its model does not know gets HTTP 422 with the framework\'s own {"detail": […]} body',
  },
  noProgress: {
    roles: ['CPO'],
    description: 'sends ChargingNotifications Start and End (and Error) but no Progress (a "can" in OICP)',
  },
  mandatoryServicesOnly: {
    roles: ['CPO', 'EMP'],
    description:
      'declares only the mandatory service types (authorization, evseData, evseStatus) and uses no optional service: no notifications, reservations, prices or authentication data',
    skips: ['CPO-11', 'CPO-11b', 'CPO-14', 'CPO-15', 'EMP-12', 'EMP-14', 'EMP-15'],
  },
  testApi500OnRefusal: {
    roles: ['CPO', 'EMP'],
    description: 'its test API answers HTTP 500 when HBS refused the call it made (the call did reach HBS)',
  },
  slowAnswers: {
    roles: ['CPO', 'EMP'],
    description: 'takes 300 ms of real processing before each answer to HBS',
  },
} as const satisfies Record<string, ReferenceQuirk>;

export type ReferenceQuirkName = keyof typeof REFERENCE_QUIRKS;
export const REFERENCE_QUIRK_NAMES = Object.keys(REFERENCE_QUIRKS) as ReferenceQuirkName[];

/** The checklist IDs a quirk skips for a role. */
export function quirkSkips(quirk: ReferenceQuirkName, role: Role): readonly string[] {
  return ((REFERENCE_QUIRKS[quirk] as ReferenceQuirk).skips ?? []).filter((id) => id.startsWith(`${role}-`));
}

/** Checks quirk names given on the command line; every unknown or wrong-role name is reported. */
export function parseQuirkNames(names: readonly string[], role: Role): Set<ReferenceQuirkName> {
  const problems = names.flatMap((n) => {
    const quirk = (REFERENCE_QUIRKS as Record<string, ReferenceQuirk>)[n];
    if (!quirk) return [`${n} is not a quirk`];
    return quirk.roles.includes(role) ? [] : [`${n} is not a quirk of the reference ${role}`];
  });
  if (problems.length > 0) {
    const own = REFERENCE_QUIRK_NAMES.filter((n) => (REFERENCE_QUIRKS[n].roles as readonly Role[]).includes(role));
    throw new SimError(
      'SIM_INPUT',
      `${problems.join('; ')}. The reference ${role}'s quirks: ${own.join(', ')} (--list-quirks describes them)`,
    );
  }
  return new Set(names as ReferenceQuirkName[]);
}

/** Real milliseconds slowAnswers takes per answer, whatever the time scale (a real backend's processing). */
export const SLOW_ANSWER_MS = 300;

/** Optional operations a partner with mandatoryServicesOnly does not send. */
const OPTIONAL_SENDS: readonly OperationId[] = [
  'ChargingNotification',
  'AuthorizeRemoteReservationStart',
  'AuthorizeRemoteReservationStop',
  'PushPricingProductData',
  'PushEVSEPricing',
  'PullPricingProductData',
  'PullEVSEPricing',
  'PushAuthenticationData',
];

type Body = Record<string, unknown>;

/** A refused call: no answer, an HTTP error, Result false or NotAuthorized. */
function refused(answer: { ok: boolean; body?: unknown }): boolean {
  if (!answer.ok) return true;
  const b = answer.body as Body | undefined;
  return b?.Result === false || b?.AuthorizationStatus === 'NotAuthorized';
}

/** The quirks of one partner, applied at the same edges as its faults. */
export class Quirks {
  private readonly active: ReadonlySet<ReferenceQuirkName>;
  /** testApi500OnRefusal: what the test API call in progress learnt of its calls to HBS. */
  private readonly call = new AsyncLocalStorage<{ refused: boolean }>();

  constructor(names: Iterable<ReferenceQuirkName>) {
    this.active = new Set(names);
  }

  has(quirk: ReferenceQuirkName): boolean {
    return this.active.has(quirk);
  }

  list(): ReferenceQuirkName[] {
    return [...this.active];
  }

  /** The service types its profile declares, given the full set. */
  serviceTypes<T extends Record<string, unknown>>(all: T): Partial<T> {
    if (!this.has('mandatoryServicesOnly')) return all;
    const { authorization, evseData, evseStatus } = all;
    return { authorization, evseData, evseStatus } as unknown as Partial<T>;
  }

  /** Seconds between Progress notifications (0: none). */
  progressIntervalSeconds(standard: number): number {
    return this.has('noProgress') ? 0 : standard;
  }

  /** The link to HBS: optional services left out, and what HBS answered noted for the test API. */
  link(inner: HubSender): HubSender {
    return {
      send: async (operation, body, query) => {
        if (this.has('mandatoryServicesOnly') && OPTIONAL_SENDS.includes(operation))
          return {
            ok: false,
            reason: `${operation} not sent (quirk mandatoryServicesOnly: the service is not used)`,
            exchangeId: '',
            durationMs: 0,
          };
        const answer = await inner.send(operation, body, query);
        const call = this.call.getStore();
        if (call && refused(answer)) call.refused = true;
        return answer;
      },
    };
  }

  /** A test API action: with testApi500OnRefusal it throws (HTTP 500) when HBS refused a call it made. */
  async testAction<T>(action: () => T | Promise<T>): Promise<T> {
    if (!this.has('testApi500OnRefusal')) return action();
    const call = { refused: false };
    const result = await this.call.run(call, action);
    if (call.refused) throw new Error('HBS refused the call (quirk testApi500OnRefusal)');
    return result;
  }

  /** The handlers for what HBS forwards, each answer after slowAnswers' real processing time. */
  handlers(inner: EndpointHandlers): EndpointHandlers {
    if (!this.has('slowAnswers')) return inner;
    return Object.fromEntries(
      Object.entries(inner).map(([op, handle]) => [
        op,
        async (b: unknown) => {
          await realSleep(SLOW_ANSWER_MS);
          return (handle as (b: unknown) => Promise<unknown>)(b);
        },
      ]),
    ) as EndpointHandlers;
  }

  /** strictValidator: the framework's 422 for what its model does not take. */
  screen(
    _operation: OperationId,
    _body: unknown,
    violations: readonly SchemaViolation[],
  ): { status: number; body: unknown } | undefined {
    if (!this.has('strictValidator') || violations.length === 0) return undefined;
    return {
      status: 422,
      body: {
        detail: violations.map((v) => ({
          loc: ['body', ...v.pointer.split('/').slice(1)],
          msg: v.severity === 'warning' ? 'extra fields not permitted' : v.message,
          type: v.severity === 'warning' ? 'value_error.extra' : 'value_error',
        })),
      },
    };
  }

  /** closeAfterError: `Connection: close` after an HTTP error, a Result false or a NotAuthorized. */
  closeAfter(status: number, body: unknown): boolean {
    const b = body as Body | undefined;
    return (
      this.has('closeAfterError') &&
      (status >= 400 || b?.Result === false || b?.AuthorizationStatus === 'NotAuthorized')
    );
  }
}
