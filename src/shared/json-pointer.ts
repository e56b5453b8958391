import { BoundedMemo } from './bounded-memo.js';

/**
 * JSON pointers (RFC 6901), the one way this project names a field of a message: checks, captures, violations, the
 * report's highlights and the IDs HBS reads for its 017 check all point with them.
 */

/** The reference tokens of a pointer, unescaped (`~1` is `/`, `~0` is `~`); `''` is the whole document. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The pointer of these tokens, escaped. */
export function toPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The value a pointer names, or undefined when a step is missing; only the document's own properties count. */
export function valueAt(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const token of tokensOf(pointer)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/**
 * pointerTokens, remembered: valueAt reads the same few pointers (the sender IDs of every request, a scenario's
 * checks) over and over; pointers built from data (array indexes) only refill it.
 */
const tokens = new BoundedMemo<string, readonly string[]>(1024);

function tokensOf(pointer: string): readonly string[] {
  return tokens.get(pointer, pointerTokens);
}
