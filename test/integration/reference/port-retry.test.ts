import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { certifyReference, freePort } from '../../../src/app/reference-run.js';
import { silentLogger } from '../../../src/shared/log.js';
import { type Catalogue, openCatalogue, SELFTEST_TIME_SCALE } from '../selftest/harness.js';

// `hbs-sim demo` picks the hub's port before the hub listens (the reference partner needs the URL first); another
// process may take the port in between. The run must pick another, not end in a harness error.

let catalogue: Catalogue;
let squatter: Server;
let taken: number;
beforeAll(async () => {
  catalogue = await openCatalogue();
  squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  taken = (squatter.address() as { port: number }).port;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => squatter.close(resolve));
  await catalogue.close();
});

const run = (pickPort: (host: string) => Promise<number>) =>
  certifyReference({
    role: 'CPO',
    world: catalogue.world,
    scenarios: catalogue.scenarios.filter((s) => s.id === 'CPO-03'),
    cwd: catalogue.cwd,
    timeScale: SELFTEST_TIME_SCALE,
    logger: silentLogger(),
    progress: { onEvent: () => undefined, failures: () => [] },
    outDir: join(catalogue.cwd, 'reports', `port-retry-${Math.random().toString(36).slice(2)}`),
    reporters: ['json'],
    latest: false,
    pickPort,
  });

it('picks another hub port when the one it picked is taken before the hub listens', async () => {
  const picked: number[] = [];
  const result = await run(async (host) => {
    const port = picked.length === 0 ? taken : await freePort(host);
    picked.push(port);
    return port;
  });
  expect(picked).toHaveLength(2);
  expect(picked[0]).toBe(taken);
  expect(result.report.items.map((i) => [i.id, i.outcome])).toEqual([['CPO-03', 'passed']]);
  // The profile it wrote says how to certify that partner again, at the time scale it runs on.
  const profile = await readFile(result.profilePath, 'utf8');
  expect(profile).toContain(`--time-scale ${SELFTEST_TIME_SCALE}`);
}, 60_000);

it('gives up with the port error after three taken ports', async () => {
  let picks = 0;
  const failure = run(async () => {
    picks++;
    return taken;
  });
  await expect(failure).rejects.toMatchObject({
    code: 'HUB_LISTEN',
    message: expect.stringContaining(`port ${taken}`),
  });
  // A reference run takes no --port: the message must not send the user there.
  await expect(failure).rejects.not.toThrow(/--port/);
  expect(picks).toBe(3);
}, 60_000);
