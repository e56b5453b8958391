import { describe, expect, it } from 'vitest';
import { concurrencyBlocker } from '../../../src/cli/commands/demo.js';
import { holdOutput } from '../../../src/cli/held-output.js';
import { createConsoleReporter } from '../../../src/harness/report/index.js';

/**
 * `hbs-sim demo` runs the CPO and the EMP at the same time; the EMP's console output is held and printed after the
 * CPO's, so neither role's lines land in the middle of the other's.
 */
describe('held output', () => {
  it('prints nothing until released, then what was held in order, then passes writes straight through', () => {
    const out: string[] = [];
    const held = holdOutput((c) => out.push(c));
    held.write('a\n');
    held.write('b\n');
    expect(out).toEqual([]);
    expect(held.held).toBe(true);
    held.release();
    expect(out.join('')).toBe('a\nb\n');
    expect(held.held).toBe(false);
    held.write('c\n');
    held.release();
    expect(out.join('')).toBe('a\nb\nc\n');
  });

  it('keeps at most maxChars while held and says how much it left out', () => {
    let out = '';
    const held = holdOutput((c) => (out += c), { maxChars: 10, what: 'the reference EMP’s output' });
    held.write('12345\n');
    held.write('67890\n'); // 12 characters: past the bound, counted, not kept
    held.write('ab\n');
    held.release();
    expect(out).toMatch(/^12345\nab\n… 6 characters of the reference EMP’s output were left out here/);
    held.write('x'.repeat(50));
    expect(out.endsWith('x'.repeat(50))).toBe(true);
  });
});

describe('a console reporter writing into held output', () => {
  it('paints in colour when told to although its stream is no TTY, and never redraws a line', () => {
    let out = '';
    const reporter = createConsoleReporter({
      stream: { write: (s: string) => (out += s), isTTY: false },
      env: {},
      color: true,
    });
    const deadline = new Date(Date.now() + 5_000).toISOString();
    reporter.onEvent({ type: 'itemStarted', itemId: 'EMP-01', title: 'T', at: new Date().toISOString() });
    reporter.onEvent({ type: 'waiting', itemId: 'EMP-01', what: 'X', deadline });
    reporter.onEvent({ type: 'waiting', itemId: 'EMP-01', what: 'X', deadline });
    expect(out).toContain('\u001b[1mEMP-01\u001b[22m');
    expect(out).not.toContain('\r');
    expect(out.match(/waiting for X/g)).toHaveLength(1);
  });

  it('stays plain on a stream that is no TTY unless told', () => {
    let out = '';
    const reporter = createConsoleReporter({ stream: { write: (s: string) => (out += s), isTTY: false }, env: {} });
    reporter.onEvent({ type: 'itemStarted', itemId: 'EMP-01', title: 'T', at: new Date().toISOString() });
    expect(out).toBe('▶ EMP-01 T\n');
  });
});

describe('when demo runs its roles at the same time', () => {
  it('does so on free ports without a transcript, and names what keeps them one after the other', () => {
    expect(concurrencyBlocker(undefined, undefined)).toBeUndefined();
    expect(concurrencyBlocker(0, undefined)).toBeUndefined();
    expect(concurrencyBlocker(8443, undefined)).toBe('--port 8443: one hub at a time can listen on it');
    expect(concurrencyBlocker(undefined, 'hub.jsonl')).toMatch(/^the transcript hub\.jsonl would mix/);
  });
});
