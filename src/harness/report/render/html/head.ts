import { createHash } from 'node:crypto';
import { esc } from './escape.js';
import { STYLE } from './style.js';

/** A Content-Security-Policy source that allows exactly this inline text. */
export const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Every hbs-sim page from the doctype to `</head>`: one file, nothing fetched, its inline style (and the caller's
 * script, through `csp`) allowed by hash and nothing else. `meta` is extra `<meta …>` lines, each ending in a newline.
 */
export function documentHead(o: { title: string; csp: string; meta?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(o.csp)}">
${o.meta ?? ''}<title>${esc(o.title)}</title>
<style>${STYLE}</style>
</head>`;
}
