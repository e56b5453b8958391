/**
 * What the hub is measured against: a bare node:https keep-alive forwarder with the same certificates (mutual TLS on
 * both legs) and a bare pull server, in a process of their own so that their CPU time is their own. It does the least
 * a forwarder and a pull server can: parse, stamp a SessionID, forward, relay; keep EVSE records in a Map with their
 * sorted keys, filter, slice the page and serialize it. No validation, no recording, no identity checks.
 * Plain JavaScript run by node itself, as the hub runs from dist/ (side/hub-dist.mjs): neither side pays for tsx.
 * Env: BENCH_CERTS, BENCH_CPO_URL.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { loadHubTls } from '../../../dist/tls/load.js';
import { gcCommand } from './gc-pauses.mjs';

const tls = loadHubTls(process.env.BENCH_CERTS);
const cpoUrl = new URL(process.env.BENCH_CPO_URL);
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: 32,
  ca: tls.ca,
  cert: tls.client.cert,
  key: tls.client.key,
});

/** EvseID → { record, lastUpdate, lastUpdateMs } */
const records = new Map();
let sorted;

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function send(res, body) {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** One JSON POST over the keep-alive agent, as side/post.ts sends it. */
function forward(body) {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      cpoUrl,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const toRad = (d) => (d * Math.PI) / 180;
function km(aLat, aLon, bLat, bLon) {
  const h =
    Math.sin(toRad(bLat - aLat) / 2) ** 2 +
    Math.cos(toRad(aLat)) * Math.cos(toRad(bLat)) * Math.sin(toRad(bLon - aLon) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

function pull(body, page, size) {
  sorted ??= [...records.keys()].sort();
  const since = body.LastCall ? Date.parse(body.LastCall) : undefined;
  const countries = body.CountryCodes;
  const center = body.SearchCenter;
  const cLat = center ? Number(center.GeoCoordinates.DecimalDegree.Latitude) : 0;
  const cLon = center ? Number(center.GeoCoordinates.DecimalDegree.Longitude) : 0;
  const keep = (h) => {
    if (since !== undefined && h.lastUpdateMs <= since) return false;
    if (countries && !countries.includes(h.record.Address.Country)) return false;
    if (center) {
      const d = h.record.GeoCoordinates.DecimalDegree;
      if (km(cLat, cLon, Number(d.Latitude), Number(d.Longitude)) > center.Radius) return false;
    }
    return true;
  };
  const wire = (h) => ({ ...h.record, OperatorID: 'DE*CPA', OperatorName: 'CPO A', lastUpdate: h.lastUpdate });
  const filtered = since !== undefined || countries || center;
  const ids = filtered ? sorted.filter((id) => keep(records.get(id))) : sorted;
  const content = ids.slice(page * size, page * size + size).map((id) => wire(records.get(id)));
  const total = ids.length;
  return {
    content,
    number: page,
    size,
    totalElements: total,
    totalPages: Math.ceil(total / size),
    first: page === 0,
    last: (page + 1) * size >= total,
    numberOfElements: content.length,
    StatusCode: { Code: '000' },
  };
}

const server = https.createServer(
  { key: tls.server.key, cert: tls.server.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
  (req, res) => {
    const url = new URL(req.url ?? '/', 'https://bare.invalid');
    readJson(req).then(
      async (body) => {
        if (url.pathname.includes('/authorize-remote/start')) {
          const answer = await forward({ ...body, SessionID: randomUUID() });
          send(res, answer);
        } else if (url.pathname.includes('/evsepush/')) {
          const now = new Date();
          if (body.ActionType === 'fullLoad') records.clear();
          for (const r of body.OperatorEvseData.EvseDataRecord)
            records.set(r.EvseID.toUpperCase(), {
              record: r,
              lastUpdate: now.toISOString(),
              lastUpdateMs: now.getTime(),
            });
          sorted = undefined;
          send(res, { Result: true, StatusCode: { Code: '000' } });
        } else if (url.pathname.includes('/evsepull/')) {
          send(res, pull(body, Number(url.searchParams.get('page') ?? 0), Number(url.searchParams.get('size') ?? 20)));
        } else {
          res.writeHead(404).end();
        }
      },
      () => res.writeHead(400).end(),
    );
  },
);
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  process.stdout.write(`${JSON.stringify({ url: `https://127.0.0.1:${port}/api/oicp` })}\n`);
});
process.stdin.resume();
process.stdin.on('data', (line) => {
  const command = line.toString().trim();
  const gcAnswer = gcCommand(command);
  if (gcAnswer) {
    process.stdout.write(`${JSON.stringify(gcAnswer)}\n`);
  } else if (command === 'stats') {
    const m = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed })}\n`);
  }
});
process.stdin.on('end', () => {
  agent.destroy();
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
