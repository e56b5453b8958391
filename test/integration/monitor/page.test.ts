import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SCRIPT } from '../../../src/monitor/page-script.js';
import { type MonitorTestHub, startMonitorHub } from './monitor-hub.js';

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

  it('ships a script that parses and never hands data to an HTML parser', () => {
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
    expect(PAGE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
