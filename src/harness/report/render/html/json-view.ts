/**
 * Pretty-prints a body as JSON.stringify(…, null, 2) would, as HTML with syntax classes, and marks the fields that
 * checks and violations point at (RFC 6901 JSON pointers), so the failing field stands out in the detail view. A
 * pointer to an absent field marks its nearest present parent and says which field is missing.
 */
import { pointerTokens, toPointer } from '../../../../shared/json-pointer.js';
import { esc } from './escape.js';

export interface Highlight {
  pointer: string;
  /** `fail`: a failed or errored check; `violation`: a rule the hub recorded; `info`: a passed check. */
  kind: 'fail' | 'violation' | 'info';
  label: string;
}

interface Mark {
  kind: Highlight['kind'];
  labels: string[];
}

/** The pointer of the deepest existing node on the way to `pointer`, and the first token that was missing. */
function resolve(body: unknown, pointer: string): { at: string; missing?: string } {
  // '/' names the whole body here: violations of the document itself come with it.
  const tokens = pointer === '/' ? [] : pointerTokens(pointer);
  let node: unknown = body;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    const child = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[token] : undefined;
    const present = typeof node === 'object' && node !== null && Object.hasOwn(node, token);
    if (!present) return { at: toPointer(tokens.slice(0, i)), missing: token };
    node = child;
  }
  return { at: toPointer(tokens) };
}

const RANK: Readonly<Record<Highlight['kind'], number>> = { fail: 2, violation: 1, info: 0 };

function collectMarks(body: unknown, highlights: readonly Highlight[]): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  for (const h of highlights) {
    const { at, missing } = resolve(body, h.pointer);
    const label = missing === undefined ? h.label : `${h.label} (missing: ${missing})`;
    const mark = marks.get(at) ?? { kind: h.kind, labels: [] };
    if (RANK[h.kind] > RANK[mark.kind]) mark.kind = h.kind;
    if (!mark.labels.includes(label)) mark.labels.push(label);
    marks.set(at, mark);
  }
  return marks;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return `<span class="j-s">${esc(JSON.stringify(value))}</span>`;
  if (typeof value === 'number') return `<span class="j-n">${esc(JSON.stringify(value))}</span>`;
  return `<span class="j-b">${esc(JSON.stringify(value) ?? 'null')}</span>`;
}

function render(value: unknown, pointer: string, indent: string, marks: ReadonlyMap<string, Mark>): string {
  let text: string;
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    const entries: [string | undefined, unknown][] = Array.isArray(value)
      ? value.map((v) => [undefined, v])
      : Object.entries(value as Record<string, unknown>);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) text = `${open}${close}`;
    else {
      const inner = `${indent}  `;
      const lines = entries.map(([key, v], i) => {
        const childPointer = `${pointer}/${String(key ?? i)
          .replace(/~/g, '~0')
          .replace(/\//g, '~1')}`;
        const name = key === undefined ? '' : `<span class="j-k">${esc(JSON.stringify(key))}</span>: `;
        return `${inner}${wrapMember(name, render(v, childPointer, inner, marks), childPointer, marks)}`;
      });
      text = `${open}\n${lines.join(',\n')}\n${indent}${close}`;
    }
  } else text = scalar(value);
  return pointer === '' ? wrapMember('', text, '', marks) : text;
}

/** Marks a member (key and value together) when a highlight resolves to it. */
function wrapMember(name: string, valueHtml: string, pointer: string, marks: ReadonlyMap<string, Mark>): string {
  const mark = marks.get(pointer);
  if (!mark) return `${name}${valueHtml}`;
  const label = mark.labels.join('; ');
  return (
    `<mark class="hl hl-${mark.kind}" data-pointer="${esc(pointer || '/')}">${name}${valueHtml}</mark>` +
    `<span class="hl-label hl-label-${mark.kind}"> ◀ ${esc(label)}</span>`
  );
}

/** A body as highlighted, pretty-printed HTML (for a `<pre>`). Non-JSON text bodies are shown as text. */
export function renderJsonHtml(body: unknown, highlights: readonly Highlight[] = []): string {
  if (body === undefined) return '<span class="j-none">(no body)</span>';
  if (typeof body === 'string') {
    const whole = highlights.filter((h) => h.pointer === '' || h.pointer === '/');
    const text = esc(body);
    return whole.length > 0 ? `<mark class="hl hl-${whole[0]?.kind ?? 'fail'}">${text}</mark>` : text;
  }
  return render(body, '', '', collectMarks(body, highlights));
}
