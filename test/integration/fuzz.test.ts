import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { pullEvseStatusVariant } from '../../src/oicp/messages.js';
import { fillPath, OPERATION_IDS, OPERATIONS, type OperationId } from '../../src/oicp/operations.js';
import { validateMessage } from '../../src/oicp/validate.js';
import type { PemPair } from '../../src/tls/load.js';
import { type PostOptions, post, type RawResponse } from '../helpers/http.js';
import { startVirtualWorld, type VirtualWorld } from '../helpers/virtual.js';
import { OPERATOR_ID, PROVIDER_ID } from '../unit/oicp/fixtures/ids.js';
import { VALID } from '../unit/oicp/fixtures/index.js';

/**
 * A bounded, seeded fuzz run over every route the process serves: each OICP operation path of the hub, /_sim and
 * /monitor/api. Valid messages are broken (fields dropped, wrong types, huge strings, deep nesting, long arrays,
 * unknown properties, bad JSON), sent with the wrong content type, method or certificate, under malformed
 * percent-encodings, and a few over the body limit. Whatever arrives: no 5xx, every request answered, every OICP
 * answer in its operation's own response shape, every /_sim and monitor error `{error:{code,message}}`, and the
 * hub still answers afterwards. Reproduce a failing run with FUZZ_SEED=<seed printed in the failure>.
 */
const REQUESTS = 2_400;
const CONCURRENCY = 8;
const OICP_BODY_LIMIT = 64 * 1024;
const SIM_BODY_LIMIT = 256 * 1024;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

const CPO_ID = 'DE*VCP';
const EMP_ID = 'DE-VEM';
const EVSE = 'DE*VCP*E0001*1';

/** mulberry32: a tiny PRNG whose whole state is the seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

// ── Body mutations ───────────────────────────────────────────────────────────────────────────────────────────────

type Json = unknown;
type Path = Array<string | number>;

function pathsOf(value: Json, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value))
    for (const [i, v] of value.entries()) {
      out.push([...at, i]);
      pathsOf(v, [...at, i], out);
    }
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      out.push([...at, k]);
      pathsOf(v, [...at, k], out);
    }
  return out;
}

/** Replaces (or with `undefined`, deletes) the value at `path` in a deep copy. */
function setPath(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const copy: any = JSON.parse(JSON.stringify(root));
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  const last = path[path.length - 1]!;
  if (value === undefined && Array.isArray(node)) node.splice(Number(last), 1);
  else if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const deep = (rng: Rng): Json => {
  const depth = 20 + rng.int(rng.chance(0.3) ? 3000 : 200);
  let v: Json = rng.chance(0.5) ? 'bottom' : [];
  for (let i = 0; i < depth; i++) v = rng.chance(0.5) ? [v] : { a: v };
  return v;
};
const WRONG: Array<(rng: Rng) => Json> = [
  () => 42,
  () => -1e308,
  () => 0.5,
  () => '',
  () => 'not-what-you-expect',
  () => true,
  () => null,
  () => [],
  () => ({}),
  () => ['x', 1, null],
  () => '\u0000\ud800\u202e<script>',
  () => '2026-13-45T99:99:99Z',
];

/** A broken variant of a valid body, as text (or bytes); the name says what was done. */
function mutateBody(rng: Rng, base: Json, maxBytes: number): { name: string; raw: string | Buffer } {
  const paths = pathsOf(base);
  const somewhere = (): Path => (paths.length === 0 || rng.chance(0.1) ? [] : rng.pick(paths));
  const text = (v: Json) => JSON.stringify(v) ?? 'null';
  switch (rng.int(11)) {
    case 0:
      return { name: 'valid', raw: text(base) };
    case 1: {
      const p = paths.length ? rng.pick(paths) : [];
      return { name: `drop /${p.join('/')}`, raw: text(p.length ? setPath(base, p, undefined) : {}) };
    }
    case 2: {
      const p = somewhere();
      return { name: `wrong type at /${p.join('/')}`, raw: text(setPath(base, p, rng.pick(WRONG)(rng))) };
    }
    case 3: {
      const p = somewhere();
      const size = 1_000 + rng.int(Math.min(maxBytes - 2_000, 60_000));
      return { name: `huge string at /${p.join('/')}`, raw: text(setPath(base, p, 'Ω'.repeat(size / 2))) };
    }
    case 4: {
      const p = somewhere();
      return { name: `deep nesting at /${p.join('/')}`, raw: text(setPath(base, p, deep(rng))) };
    }
    case 5: {
      const p = somewhere();
      const n = 100 + rng.int(rng.chance(0.5) ? 10_000 : 1_000);
      const item = rng.chance(0.5) ? 1 : p.length ? structuredClone(valueAt(base, p)) : 'x';
      const long = Array.from({ length: n }, () => item);
      const raw = text(setPath(base, p, long));
      return {
        name: `array of ${n} at /${p.join('/')}`,
        raw: raw.length < maxBytes ? raw : text(setPath(base, p, [])),
      };
    }
    case 6: {
      const extra = rng.pick([
        '"__proto__":{"polluted":true},',
        '"constructor":{"prototype":{"polluted":true}},',
        '"UnknownField":"x","Another":{"Deep":[1,2,3]},',
        '"StatusCode":{"Code":"000"},',
      ]);
      const t = text(base);
      return { name: `unknown property ${extra}`, raw: t.startsWith('{') && t !== '{}' ? `{${extra}${t.slice(1)}` : t };
    }
    case 7: {
      const t = text(base);
      const bad = [
        t.slice(0, Math.max(1, rng.int(t.length))),
        `${t},`,
        t.replace(/"/g, "'"),
        '',
        'null',
        '[]',
        '"a string"',
        '1e999',
        '{"a":1,"a":2}',
        `\ufeff${t}`,
        '{"key": undefined}',
        `${t}${t}`,
      ];
      return { name: 'bad JSON', raw: rng.pick(bad) };
    }
    case 8:
      return {
        name: 'invalid UTF-8',
        raw: Buffer.concat([
          Buffer.from(text(base).slice(0, 10)),
          Buffer.from([0xc0, 0x80, 0xff, 0xfe]),
          Buffer.from('"}'),
        ]),
      };
    case 9: {
      const p = somewhere();
      return { name: `many properties at /${p.join('/')}`, raw: text(setPath(base, p, manyKeys(rng))) };
    }
    default:
      return { name: 'valid', raw: text(base) };
  }
}

function valueAt(root: Json, path: Path): Json {
  let node: any = root;
  for (const k of path) node = node?.[k];
  return node ?? null;
}

function manyKeys(rng: Rng): Json {
  const n = 100 + rng.int(3_000);
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
}

const MALFORMED = ['%', '%Z', '%ZZ', '%E0%A4%A', '%C0%80', '%00', '%ff%fe', '%%41', '%2', '%u0041'];

/** A path with a malformed percent-escape put into one segment. */
function malformPath(rng: Rng, path: string): string {
  const segments = path.split('/');
  const i = 1 + rng.int(Math.max(1, segments.length - 1));
  const s = segments[i] ?? '';
  const at = rng.int(s.length + 1);
  segments[i] = `${s.slice(0, at)}${rng.pick(MALFORMED)}${s.slice(at)}`;
  return segments.join('/');
}

// ── What is sent ─────────────────────────────────────────────────────────────────────────────────────────────────

type Surface = 'oicp' | 'sim' | 'monitor';

interface Probe {
  surface: Surface;
  /** The operation whose path was used (oicp), for the expected answer shape. */
  operation?: OperationId;
  url: string;
  what: string;
  options: PostOptions;
}

interface Identities {
  ca: string;
  cpo: PemPair;
  emp: PemPair;
  otherCpo: PemPair;
  otherEmp: PemPair;
  foreign: { ca: string; client: PemPair };
}

/** A fixture message re-addressed to the world's virtual partners, so an unbroken one reaches the handler. */
function validRequest(op: OperationId): Json {
  const t = JSON.stringify(VALID[op].request()).split(OPERATOR_ID).join(CPO_ID).split(PROVIDER_ID).join(EMP_ID);
  return JSON.parse(t);
}

function oicpProbe(rng: Rng, origin: string, basePath: string, ids: Identities): Probe {
  const op = rng.pick(OPERATION_IDS);
  const o = OPERATIONS[op];
  let path = fillPath(rng.pick(o.hubPaths), { operatorID: CPO_ID, providerID: EMP_ID });
  let client = o.sender === 'CPO' ? ids.cpo : ids.emp;
  const ca = ids.ca;
  const options: PostOptions = {};
  const parts: string[] = [];
  let body: { name: string; raw: string | Buffer } = mutateBody(rng, validRequest(op), OICP_BODY_LIMIT);
  switch (rng.int(14)) {
    case 0:
      options.contentType = rng.pick([
        null,
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'json',
        'application/json; charset=latin1',
        'multipart/form-data; boundary=x',
      ]);
      parts.push(`content-type ${options.contentType}`);
      break;
    case 1:
      options.method = rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
      parts.push(`method ${options.method}`);
      break;
    case 2:
      path = malformPath(rng, path);
      parts.push('malformed percent-encoding');
      break;
    case 3: {
      const pick = rng.int(5);
      if (pick === 0) client = undefined as never;
      else if (pick === 1) client = o.sender === 'CPO' ? ids.emp : ids.cpo;
      else if (pick === 2) client = o.sender === 'CPO' ? ids.otherCpo : ids.otherEmp;
      else if (pick === 3) client = ids.foreign.client;
      else path = fillPath(o.hubPaths[0]!, { operatorID: 'DE*MYC', providerID: 'DE-MYE' });
      parts.push(['no client certificate', 'other role', 'other partner', 'foreign CA', 'other ID in path'][pick]!);
      break;
    }
    case 4:
      if (rng.chance(0.15)) {
        body = {
          name: 'oversized',
          raw: JSON.stringify({ Padding: 'x'.repeat(OICP_BODY_LIMIT + rng.int(OICP_BODY_LIMIT)) }),
        };
      }
      break;
    case 5:
      path = `${path}${rng.pick(['/', '//', '/extra', '?page=-1&size=99999', '?page=abc', '?size=0', '?page=1e9', '?%zz=1', '#frag'])}`;
      parts.push('path suffix');
      break;
    default:
      break;
  }
  if (options.method === 'GET' || options.method === 'HEAD') body = { name: 'no body', raw: '' };
  return {
    surface: 'oicp',
    operation: op,
    url: `${origin}${basePath}${path}`,
    what: `${op} ${[...parts, body.name].join(', ')}`,
    options: { ...options, raw: body.raw, ca, client },
  };
}

interface SimRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: Json;
}

const SIM_ROUTES: SimRoute[] = [
  { method: 'GET', path: '' },
  { method: 'GET', path: '/stations' },
  { method: 'GET', path: `/evses/${EVSE}` },
  { method: 'POST', path: `/evses/${EVSE}/plug` },
  { method: 'POST', path: `/evses/${EVSE}/unplug` },
  { method: 'POST', path: `/evses/${EVSE}/stop` },
  { method: 'POST', path: `/evses/${EVSE}/swipe`, body: { uid: '04A1B2C3D4E5F6' } },
  { method: 'POST', path: `/evses/${EVSE}/scan-qr`, body: { evcoId: 'DE-VEM-C00000001-1', pin: '2468' } },
  { method: 'POST', path: `/evses/${EVSE}/error`, body: { errorType: 'ConnectorError', info: 'fuzz' } },
  { method: 'POST', path: `/evses/${EVSE}/status`, body: { status: 'Available' } },
  { method: 'GET', path: '/stations/virtual-cpo/activity?subject=x&kind=y' },
  { method: 'GET', path: '/emps' },
  { method: 'GET', path: '/emps/virtual-emp/cdrs' },
  { method: 'GET', path: '/emps/virtual-emp/notifications?sessionId=abc' },
  { method: 'GET', path: '/emps/virtual-emp/activity?kind=cdr' },
  { method: 'POST', path: '/emps/virtual-emp/remote-start', body: { evseId: EVSE, customer: 'Alice' } },
  {
    method: 'POST',
    path: '/emps/virtual-emp/remote-stop',
    body: { sessionId: 'b2688855-7f00-0002-6d8e-48d883f6abb6', evseId: EVSE },
  },
  { method: 'POST', path: '/emps/virtual-emp/reservation-start', body: { evseId: EVSE, durationMinutes: 5 } },
  {
    method: 'POST',
    path: '/emps/virtual-emp/reservation-stop',
    body: { sessionId: 'b2688855-7f00-0002-6d8e-48d883f6abb6' },
  },
  { method: 'POST', path: '/emps/virtual-emp/pull-evse-data', body: { page: 0, size: 10 } },
  { method: 'POST', path: '/emps/virtual-emp/pull-evse-status', body: { evseIds: [EVSE] } },
  { method: 'POST', path: '/emps/virtual-emp/get-cdrs', body: { page: 0, size: 5 } },
  { method: 'POST', path: '/emps/virtual-emp/push-auth-data' },
  { method: 'GET', path: '/faults' },
  { method: 'POST', path: '/faults', body: { kind: 'reject', code: '602', times: 1 } },
  { method: 'DELETE', path: '/faults' },
  { method: 'DELETE', path: '/faults/no-such-fault' },
  { method: 'GET', path: '/no-such-route' },
];

function simProbe(rng: Rng, origin: string): Probe {
  const r = rng.pick(SIM_ROUTES);
  let path = r.path;
  let method: string = r.method;
  const options: PostOptions = {};
  const parts: string[] = [];
  let raw: string | Buffer = r.method === 'POST' ? JSON.stringify(r.body ?? {}) : '';
  switch (rng.int(8)) {
    case 0:
    case 1:
      if (r.method === 'POST') {
        const m = mutateBody(rng, r.body ?? {}, SIM_BODY_LIMIT);
        raw = m.raw;
        parts.push(m.name);
      }
      break;
    case 2:
      path = malformPath(rng, path || '/');
      parts.push('malformed percent-encoding');
      break;
    case 3:
      method = rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
      parts.push(`method ${method}`);
      break;
    case 4:
      options.contentType = rng.pick([
        null,
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
      ]);
      parts.push(`content-type ${options.contentType}`);
      break;
    case 5:
      options.headers = rng.pick<Record<string, string>>([
        { origin: 'https://attacker.example' },
        { host: 'rebound.attacker.example' },
        { 'content-encoding': 'gzip' },
      ]);
      // A foreign Host over TLS: the client still checks the hub's certificate under a name it carries.
      options.servername = 'localhost';
      parts.push(`headers ${JSON.stringify(options.headers)}`);
      break;
    case 6:
      if (rng.chance(0.1)) {
        raw = JSON.stringify({ padding: 'x'.repeat(SIM_BODY_LIMIT + rng.int(64 * 1024)) });
        method = 'POST';
        parts.push('oversized');
      }
      break;
    default:
      break;
  }
  if (method === 'GET') raw = '';
  return {
    surface: 'sim',
    url: `${origin}/_sim${path}`,
    what: `${method} /_sim${path} ${parts.join(', ')}`,
    options: { ...options, method, raw },
  };
}

const MONITOR_PATHS = [
  '/meta',
  '/exchanges',
  '/exchanges?operation=ChargeDetailRecord&page=0&size=5',
  '/exchanges?q=DE*VCP&category=charging',
  '/exchanges.csv',
  '/exchanges.csv?operation=PushEvseData',
  '/exchanges/no-such-id',
  '/evses',
  '/sessions',
  '/cdrs',
  '/cdrs?forward=FORWARDED',
  // The stream stays open when asked rightly; it is fuzzed with parameters it refuses.
  '/stream?bogus=1',
  '/stream?after=not-a-number',
  '/no-such-route',
];

function monitorProbe(rng: Rng, origin: string): Probe {
  let path = rng.pick(MONITOR_PATHS);
  let method = 'GET';
  const options: PostOptions = { contentType: null };
  switch (rng.int(6)) {
    case 0:
      path = malformPath(rng, path);
      break;
    case 1:
      path += `${path.includes('?') ? '&' : '?'}${rng.pick(['page=-1', 'size=1e9', 'size=abc', 'operation=Nope', 'forward=nope', 'q=%zz', 'unknown=1', `q=${'x'.repeat(4_000)}`, 'page=1&page=2', 'category=__proto__'])}`;
      break;
    case 2:
      method = rng.pick(['POST', 'PUT', 'DELETE', 'PATCH']);
      break;
    case 3:
      options.headers = { host: 'rebound.attacker.example' };
      options.servername = 'localhost';
      break;
    default:
      break;
  }
  if (path.startsWith('/stream') && method === 'GET' && !/bogus|not-a-number|%/.test(path)) path = '/stream?bogus=1';
  return {
    surface: 'monitor',
    url: `${origin}/monitor/api${path}`,
    what: `${method} /monitor/api${path}`,
    options: { ...options, method, raw: '' },
  };
}

// ── What must hold of each answer ────────────────────────────────────────────────────────────────────────────────

/** Why the answer is wrong, or undefined when it is right. */
function problemWith(p: Probe, res: RawResponse): string | undefined {
  if (res.status >= 500) return `HTTP ${res.status}: ${res.text.slice(0, 300)}`;
  if (p.options.method === 'HEAD') return undefined;
  if (p.surface === 'monitor' && res.status === 200 && /\.csv/.test(p.url)) return undefined;
  if (!/^application\/json/.test(String(res.headers['content-type'] ?? '')))
    return `content-type ${res.headers['content-type']} (HTTP ${res.status}): ${res.text.slice(0, 200)}`;
  let body: any;
  try {
    body = JSON.parse(res.text);
  } catch {
    return `not JSON (HTTP ${res.status}): ${res.text.slice(0, 200)}`;
  }
  if (p.surface === 'oicp') {
    const shapes = expectedShapes(p, res.status);
    const results = shapes.map((op) => validateMessage(op, 'response', body).filter((v) => v.severity === 'error'));
    if (results.every((r) => r.length > 0))
      return `HTTP ${res.status} not in the shape of ${shapes.join(' or ')}: ${JSON.stringify(results[0]!.slice(0, 3))} ${res.text.slice(0, 300)}`;
    return undefined;
  }
  if (res.status >= 400) {
    const e = body?.error;
    if (typeof e?.code !== 'string' || typeof e?.message !== 'string' || e.message === '')
      return `HTTP ${res.status} error not {error:{code,message}}: ${res.text.slice(0, 300)}`;
  }
  return undefined;
}

/**
 * The operations whose response shape an OICP answer may take: the path's; for PullEvseStatus the form the body names
 * (when it can be read); a plain acknowledgement (ChargeDetailRecord's answer) only for a 404, where a broken path
 * matches no operation.
 */
function expectedShapes(p: Probe, status: number): OperationId[] {
  const op = p.operation!;
  const shapes: OperationId[] = status === 404 ? [op, 'ChargeDetailRecord'] : [op];
  if (op === 'PullEvseStatus') {
    try {
      shapes.push(pullEvseStatusVariant(JSON.parse(String(p.options.raw))));
    } catch {
      // not JSON: the path's own shape
    }
  }
  return shapes;
}

// ── The run ──────────────────────────────────────────────────────────────────────────────────────────────────────

describe(`fuzzing every route (seed ${SEED}; FUZZ_SEED=${SEED} repeats it)`, () => {
  it(`${REQUESTS} broken requests: no 5xx, no crash, every answer in its shape`, { timeout: 90_000 }, async () => {
    const w: VirtualWorld = await startVirtualWorld({
      hub: { aup: { enabled: false, perMinute: {}, pushProcessingMs: 0 }, bodyLimitBytes: OICP_BODY_LIMIT },
      station: { progressIntervalSeconds: 86_400 },
    });
    const agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    try {
      const origin = w.hub.origin;
      const basePath = w.world.hub.basePath;
      const ids: Identities = {
        ca: w.certs.hub.ca,
        cpo: w.certs.partner('virtual-cpo').client,
        emp: w.certs.partner('virtual-emp').client,
        otherCpo: w.certs.partner('my-cpo').client,
        otherEmp: w.certs.partner('my-emp').client,
        foreign: w.certs.foreignCa,
      };
      const rng = prng(SEED);
      const probes: Probe[] = Array.from({ length: REQUESTS }, () => {
        const r = rng.next();
        return r < 0.6
          ? oicpProbe(rng, origin, basePath, ids)
          : r < 0.8
            ? simProbe(rng, origin)
            : monitorProbe(rng, origin);
      });
      // Every operation's path, /_sim route and monitor route is among them.
      expect(new Set(probes.map((p) => p.operation).filter(Boolean)).size).toBe(OPERATION_IDS.length);
      for (const r of SIM_ROUTES)
        expect(
          probes.some((p) => p.url.endsWith(`/_sim${r.path}`) || p.what.startsWith(`${r.method} /_sim${r.path} `)),
        ).toBe(true);
      for (const m of MONITOR_PATHS) expect(probes.some((p) => p.url.endsWith(`/monitor/api${m}`))).toBe(true);
      // /_sim and the monitor are plain loopback routes: certificates are the hub's TLS, not checked there.
      for (const p of probes) if (p.surface !== 'oicp') p.options.ca = ids.ca;
      // Connections are kept and reused (one pool per client certificate), so the run spends its time in the hub
      // rather than in TLS handshakes; a request the hub answers with `connection: close` gets a fresh one.
      for (const p of probes) p.options.agent = agent;

      const failures: string[] = [];
      const counts: Record<string, number> = {};
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < probes.length) {
          const i = next++;
          const p = probes[i]!;
          try {
            const res = await post(p.url, undefined, p.options);
            counts[`${p.surface} ${res.status}`] = (counts[`${p.surface} ${res.status}`] ?? 0) + 1;
            const problem = problemWith(p, res);
            if (problem) failures.push(`#${i} ${p.what.slice(0, 200)} → ${problem}`);
          } catch (e) {
            failures.push(`#${i} ${p.what.slice(0, 200)} → no answer: ${(e as Error).message}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      // Still up: the monitor and an OICP operation answer as usual.
      const meta = await post(`${origin}/monitor/api/meta`, undefined, {
        method: 'GET',
        contentType: null,
        ca: ids.ca,
      });
      expect(meta.status, `seed ${SEED}`).toBe(200);
      const pull = await w.call('virtual-emp', fillPath(OPERATIONS.PullEvseData.hubPaths[0]!, { providerID: EMP_ID }), {
        ProviderID: EMP_ID,
        GeoCoordinatesResponseFormat: 'DecimalDegree',
      });
      expect(pull.status, `seed ${SEED}`).toBe(200);
      expect(failures, `seed ${SEED} (FUZZ_SEED=${SEED} repeats the run); answers: ${JSON.stringify(counts)}`).toEqual(
        [],
      );
      // The run reached every surface and was refused in many ways, not one.
      for (const s of ['oicp', 'sim', 'monitor'])
        expect(Object.keys(counts).filter((k) => k.startsWith(s)).length).toBeGreaterThan(2);
    } finally {
      agent.destroy();
      await w.close();
    }
  });
});
