import { spawn } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin } from '../helpers/built-cli.js';

/**
 * The CLI's inputs as users get them wrong: an unreadable profile or partner file, a profile that takes a virtual
 * actor's ID, a bad record in the virtual station's EVSE file. Each is exit 2 with a message that names the file
 * (and line:col and field where there is one) and the fix, never "INTERNAL … bug in hbs-sim" or a refusal by HBS.
 */
const BIN = builtBin();
const SIMULATOR = fileURLToPath(new URL('../../simulator/', import.meta.url));
/** Root reads every file whatever its mode; the unreadable cases run the CLI as nobody. */
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'hbs-sim-inputs-'));
  await chmod(cwd, 0o777);
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

function cli(
  args: string[],
  as: { uid?: number; gid?: number } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true' },
      ...as,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** `hbs-sim run` of CPO-07 alone for a partner profile, its reports into `out`. */
const runCpo07 = (partner: string, out: string) =>
  cli(['run', '--partner', partner, '--port', '0', '--grep', 'CPO-07', '--time-scale', '0.01', '--out', out]);

async function world(name: string): Promise<string> {
  const dir = join(cwd, name);
  await cp(SIMULATOR, dir, { recursive: true });
  await chmod(dir, 0o755);
  return dir;
}

const PROFILE = (id: string, evse: string) =>
  [
    'version: 1',
    `id: ${id}`,
    'role: CPO',
    'name: Mine',
    'serviceTypes:',
    '  authorization: { onlineRequest: true, serviceUrl: "http://127.0.0.1:9/oicp" }',
    'testData:',
    `  evseIds: [${evse}]`,
    '',
  ].join('\n');

describe('unreadable files', () => {
  it('a partner file nobody may read: exit 2 CONFIG_UNREADABLE naming the file and EACCES', async () => {
    const dir = await world('unreadable-partner');
    await chmod(join(dir, 'partners', 'my-cpo.yaml'), 0o000);
    const r = await cli(['serve', '--world', dir, '--port', '0', '--no-virtual'], NOBODY);
    expect(r.err).not.toContain('INTERNAL');
    expect(r.err).toMatch(/CONFIG_UNREADABLE: cannot read \S*partners\/my-cpo\.yaml: EACCES, permission denied/);
    expect(r.code).toBe(2);
  }, 60_000);

  it('a partner profile nobody may read: exit 2 CONFIG_UNREADABLE naming it', async () => {
    const path = join(cwd, 'secret.yaml');
    await writeFile(path, PROFILE('DE*ACM', 'DE*ACM*E0001*1'));
    await chmod(path, 0o000);
    const r = await cli(['run', '--partner', path, '--port', '0', '--grep', 'CPO-07'], NOBODY);
    expect(r.err).not.toContain('INTERNAL');
    expect(r.err).toMatch(/CONFIG_UNREADABLE: cannot read \S*secret\.yaml: EACCES/);
    expect(r.code).toBe(2);
  }, 60_000);
});

describe('a transcript that cannot be written', () => {
  it('--transcript naming a folder: exit 2 CONFIG_UNREADABLE, not a crash with a stack trace', async () => {
    const r = await cli(['serve', '--port', '0', '--no-virtual', '--transcript', tmpdir()]);
    expect(r.err).toMatch(/CONFIG_UNREADABLE: cannot write the transcript \S+: EISDIR, it is a folder/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
  }, 60_000);
});

describe("a partner profile with a virtual actor's ID", () => {
  it('run names the clash and the fix: exit 2, not SIM_START "no partner file"', async () => {
    const path = join(cwd, 'clash.yaml');
    await writeFile(path, PROFILE('DE*VCP', 'DE*VCP*E0001*1'));
    const r = await runCpo07(path, join(cwd, 'reports'));
    expect(r.err).not.toContain('no partner file');
    expect(r.err).toMatch(
      /CONFIG_INVALID: partner \S+ has OperatorID DE\*VCP, the ID of the simulator's own virtual CPO \(virtual-cpo\).*give your partner profile its own ID/,
    );
    expect(r.code).toBe(2);
  }, 60_000);
});

describe("a bad record in the virtual station's EVSE file", () => {
  it('is reported at load with file:line:col and field, before HBS is asked', async () => {
    const dir = await world('bad-evse');
    const file = join(dir, 'evse', 'virtual-cpo.json');
    const text = await readFile(file, 'utf8');
    // The first record's first plug becomes a value OICP does not know.
    await writeFile(file, text.replace('"Type 2 Outlet"', '"Type 2 Plug"'));
    const line = text.slice(0, text.indexOf('"Type 2 Outlet"')).split('\n').length;
    const r = await cli(['serve', '--world', dir, '--port', '0']);
    expect(r.err).not.toContain('PushEvseData');
    expect(r.err).toMatch(
      new RegExp(
        `evse/virtual-cpo\\.json:${line}:\\d+ EvseDataRecord\\[\\d+\\]\\.Plugs\\[0\\]: not valid OICP: .*got "Type 2 Plug"`,
      ),
    );
    expect(r.code).toBe(2);
  }, 60_000);
});

describe('the report folder', () => {
  const run = (out: string) => runCpo07(join(cwd, 'mine.yaml'), out);

  it('naming a file: exit 2 before the partner is sent anything, naming the folder and the fix', async () => {
    await writeFile(join(cwd, 'mine.yaml'), PROFILE('DE*MIN', 'DE*MIN*E0001*1'));
    await writeFile(join(cwd, 'a-file'), 'not a folder');
    const r = await run(join(cwd, 'a-file'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/USAGE: the report folder \S+a-file cannot be written: .*ENOTDIR.*choose another with --out/);
    expect(r.out).not.toContain('CPO-07');
  }, 60_000);

  it('under /proc: exit 2 at once, where a recursive mkdir never returns', async () => {
    const started = Date.now();
    const r = await run('/proc/hbs-sim-reports/x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the report folder \/proc\/hbs-sim-reports\/x cannot be written/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
