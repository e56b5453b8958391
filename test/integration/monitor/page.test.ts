import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, PAGE_SCRIPT_PARTS, pageScript, transpile } from '../../../src/monitor/page-script.js';
import { builtBin } from '../../helpers/built-cli.js';
import { type MonitorTestHub, startMonitorHub } from './monitor-hub.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('monitor page', () => {
  let t: MonitorTestHub;
  beforeAll(async () => {
    t = await startMonitorHub();
  });
  afterAll(() => t.close());

  it('is one HTML document with inline style and script bound to a per-response CSP nonce', async () => {
    const a = await t.monitor('');
    const b = await t.monitor('/');
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(a.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(a.text).toContain(`<script nonce="${nonce}">`);
    expect(a.text).toContain(`<style nonce="${nonce}">`);
    expect(b.headers['content-security-policy']).not.toBe(csp);
  });

  it('loads nothing from elsewhere: no external src or href, no CDN', async () => {
    const html = (await t.monitor('')).text;
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html.match(/<link\b[^>]*>/gi)).toEqual(['<link rel="icon" href="data:,">']);
    expect(html).not.toMatch(/<script[^>]+src=/i);
  });

  it('serves, when run from dist/, the scripts the build compiled, identical to what a run from src/ transpiles', async () => {
    builtBin(); // dist/ is as new as src/
    const dist = (await import(pathToFileURL(join(ROOT, 'dist/monitor/page-script.js')).href)) as {
      pageScript(): string;
    };
    const fromDist = dist.pageScript();
    const compiled = PAGE_SCRIPT_PARTS.map((name) => readFile(join(ROOT, `dist/monitor/browser/${name}.js`), 'utf8'));
    expect(fromDist).toBe(bundle(await Promise.all(compiled)));
    const sources = PAGE_SCRIPT_PARTS.map(async (name) =>
      transpile(await readFile(join(ROOT, `src/monitor/browser/${name}.ts`), 'utf8'), `${name}.ts`),
    );
    expect(fromDist).toBe(bundle(await Promise.all(sources)));
    expect(pageScript()).toBe(fromDist);
  });

  it('bundles every browser file, inside one function so their top-level declarations stay off the window', async () => {
    const browser = (await readdir(join(ROOT, 'src/monitor/browser'))).filter((f) => f.endsWith('.ts'));
    expect(browser.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...PAGE_SCRIPT_PARTS].sort());
    expect(pageScript()).toMatch(/^\(\(\) => \{\n"use strict";/);
  });

  it('ships a script that parses and never hands data to an HTML parser', () => {
    expect(() => new Function(pageScript())).not.toThrow();
    expect(pageScript()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
