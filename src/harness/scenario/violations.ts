import { isStatusCodeValue, STATUS_CODES } from '../../oicp/status-codes.js';
import type { Exchange, Violation, ViolationRule } from '../../shared/exchange.js';
import { valueAt as at } from '../../shared/json-pointer.js';
import type { Check, Warning } from '../report/model.js';

/**
 * What HBS recorded against the partner on its exchanges of an item, judged by the spec: every violation is a MUST
 * (the item fails, naming where the rule is written) or a SHOULD (a warning; the item still passes). Only the
 * partner's own messages count: the request of its calls to HBS and its answer to the legs HBS sends it. The hub's
 * own answers (a schema slip of hbs-sim) and a 429 a scenario forced are not the partner's doing.
 * The StatusCode of every answer the partner gave is judged here too: an OICP 2.3 code that fits the answer.
 */

export type Level = 'MUST' | 'SHOULD';
export interface Classified {
  level: Level;
  /** Stable name, the check's ID after `violation:`. */
  rule: ViolationRule;
  specRef: string;
}

const S_CPO_01 = 'OICP 2.3 CPO, 01 Communication Paradigms';
const S_DATA = 'OICP 2.3 CPO/EMP, 03 Data Types (and the OICP 2.3 OpenAPI schemas)';

/** The general rule of each kind, for a violation its finder did not name more precisely. */
const RULE_OF_KIND: Readonly<Record<Violation['kind'], ViolationRule>> = {
  schema: 'schema',
  'unknown-property': 'unknown-property',
  protocol: 'protocol',
  aup: 'within-aup',
};

/**
 * Every rule HBS flags, with its weight and where the spec writes it. Total over ViolationRule, so a new rule cannot
 * be flagged without being judged. An unknown property is a SHOULD: OICP defines no `additionalProperties: false`,
 * so a receiver ignores it (a misspelt optional field is lost silently).
 */
const RULES: Readonly<Record<ViolationRule, Omit<Classified, 'rule'>>> = {
  'pushes-sequential': {
    level: 'MUST',
    specRef: `${S_CPO_01}, Data push operations ("MUST always be processed sequentially"); OICP 2.3 CPO OpenAPI eRoamingPushEvseData_V2.3`,
  },
  'within-aup': { level: 'MUST', specRef: 'Hubject Acceptable Use Policy v1.0, Limits per eRoaming operation' },
  'unknown-property': {
    level: 'SHOULD',
    specRef: `${S_DATA}: the field is not part of the message, so HBS ignores it`,
  },
  schema: { level: 'MUST', specRef: S_DATA },
  'session-id-by-hbs': {
    level: 'SHOULD',
    specRef:
      'OICP 2.3 EMP, 02 Services and Operations, eRoamingAuthorizeRemoteStart (SessionID: the EMP should not fill it; HBS generates it)',
  },
  'progress-interval': {
    level: 'SHOULD',
    specRef:
      'OICP 2.3 CPO OpenAPI eRoamingChargingNotifications_V1.1 ("should be at least 5 minutes" between two Progress notifications)',
  },
  'page-size': {
    level: 'MUST',
    specRef:
      'OICP 2.3 EMP OpenAPI eRoamingGetChargeDetailRecords_V2.2 (at most 2000 records a page); Hubject EMP best practices (the same for PullEvseData)',
  },
  'charging-duration': {
    level: 'MUST',
    specRef: `${S_DATA}, ChargingNotification Progress: ChargingDuration = EventOccurred − ChargingStart in milliseconds`,
  },
  'cdr-energy': {
    level: 'MUST',
    specRef: `${S_DATA}, ChargeDetailRecord: ConsumedEnergy = MeterValueEnd − MeterValueStart`,
  },
  // OICP writes no ordering rule for the four CDR times; the field definitions imply it, the official examples break it.
  'cdr-times': {
    level: 'SHOULD',
    specRef: `${S_DATA}, ChargeDetailRecord (SessionStart, ChargingStart, ChargingEnd, SessionEnd as defined)`,
  },
  'cdr-evse': {
    level: 'MUST',
    specRef: 'OICP 2.3 CPO, 02 Services and Operations, eRoamingChargeDetailRecord (the CDR of the session HBS knows)',
  },
  'stop-evse': {
    level: 'SHOULD',
    specRef: 'OICP 2.3 EMP, 02 Services and Operations, eRoamingAuthorizeRemoteStop (EvseID of the session)',
  },
  'session-id-echo': {
    level: 'MUST',
    specRef: "OICP 2.3 CPO, 02 Services and Operations (SessionID: the one Hubject generated, never the partner's own)",
  },
  protocol: {
    level: 'MUST',
    specRef: `${S_CPO_01} (REST over HTTPS, POST with a JSON body at the operation's path, IDs matching the client certificate)`,
  },
};

export function classify(v: Violation): Classified {
  const rule = v.rule ?? RULE_OF_KIND[v.kind];
  return { rule, ...RULES[rule] };
}

/** The violations that are the partner's: its own requests to HBS, its answers to HBS. */
function partnersOwn(x: Exchange): Violation[] {
  const side = x.direction === 'partner→hub' ? 'request' : 'response';
  return x.violations.filter((v) => v.side === side);
}

/**
 * The StatusCode of an answer the partner gave (a leg HBS sent it): one OICP 2.3 defines, and one that fits the
 * answer — `000` with a positive one (Result true, Authorized), another with a negative one, and no EVSE code
 * (5xx–7xx, for a CPO's answers about its EVSEs) in an authorization answer.
 */
export function answerCodeProblem(x: Exchange): { pointer: string; problem: string } | undefined {
  const status = x.response?.status ?? 0;
  if (x.direction !== 'hub→partner' || status < 200 || status > 299) return undefined;
  const body = x.response!.body;
  const code = at(body, '/StatusCode/Code');
  if (code === undefined) return undefined;
  if (typeof code !== 'string' || !isStatusCodeValue(code))
    return { pointer: '/StatusCode/Code', problem: `${JSON.stringify(code)} is no OICP 2.3 status code` };
  const authorization = at(body, '/AuthorizationStatus');
  const result = at(body, '/Result');
  const positive = authorization === 'Authorized' || result === true;
  const negative = authorization === 'NotAuthorized' || result === false;
  if (positive && code !== '000')
    return {
      pointer: '/StatusCode/Code',
      problem: `${code} (${STATUS_CODES[code].description}) with a positive answer, which is 000`,
    };
  if (negative && code === '000')
    return {
      pointer: '/StatusCode/Code',
      problem: `000 (Success) with a negative answer (${authorization === 'NotAuthorized' ? 'NotAuthorized' : 'Result false'})`,
    };
  if (authorization === 'NotAuthorized' && STATUS_CODES[code].group === 'EVSE')
    return {
      pointer: '/StatusCode/Code',
      problem: `${code} (${STATUS_CODES[code].description}) is an EVSE code, not a reason to refuse an authorization (101–200, 210, 300–400)`,
    };
  return undefined;
}

const CODE_SPEC =
  'OICP 2.3 CPO/EMP, 03 Data Types, StatusCodeType (the codes OICP defines, by group); 01 Communication Paradigms (receivers branch on Code only)';

/**
 * The item's judgement of what HBS recorded: a failed Check per MUST broken (or one passed Check saying none was),
 * a Warning per SHOULD. `xs` are the partner's exchanges of the item.
 */
export function judgeViolations(xs: readonly Exchange[]): { checks: Check[]; warnings: Warning[] } {
  const checks: Check[] = [];
  const warnings: Warning[] = [];
  for (const x of xs) {
    for (const v of partnersOwn(x)) {
      const c = classify(v);
      const where = { exchangeId: x.id, ...(v.pointer ? { pointer: v.pointer } : {}), side: v.side };
      if (c.level === 'SHOULD')
        warnings.push({ message: `${x.operation}: ${v.message}`, specRef: c.specRef, ...where });
      else
        checks.push({
          id: `violation:${c.rule}`,
          title: `${x.operation}: a MUST of the spec (${c.rule})`,
          outcome: 'failed',
          expected: 'no violation',
          actual: v.message,
          specRef: c.specRef,
          ...where,
        });
    }
    const bad = answerCodeProblem(x);
    if (bad)
      checks.push({
        id: 'violation:status-code',
        title: `${x.operation}: StatusCode.Code of the partner's answer is an OICP 2.3 code that fits it`,
        outcome: 'failed',
        expected: 'a code of OICP 2.3 that fits the answer',
        actual: bad.problem,
        specRef: CODE_SPEC,
        exchangeId: x.id,
        pointer: bad.pointer,
        side: 'response',
      });
  }
  return { checks, warnings };
}
