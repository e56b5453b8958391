// biome-ignore-all lint/correctness/noUnusedVariables: the other browser files use these; the page runs them all as one script
/**
 * What the monitor page's script files share. The page sends the files as one script inside one function
 * (src/monitor/page-script.ts), so these declarations are theirs and not the window's. Every recorded value reaches
 * the DOM through textContent or attribute setters, never through HTML parsing.
 */

type Child = Node | string | null | undefined;

// The page (src/monitor/page.ts) has every id the views ask for; a missing one is a bug worth a loud error.
function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`monitor page has no #${id}`);
  return node;
}

/** Builds an element; strings in children become text nodes, so nothing is ever parsed as HTML. */
function el(tag: string, props: Record<string, unknown> = {}, children: readonly Child[] = []): HTMLElement {
  const node = document.createElement(tag);
  for (const k of Object.keys(props)) {
    const v = props[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className') node.className = String(v);
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'onclick') node.addEventListener('click', v as EventListener);
    else if (k.indexOf('data-') === 0) node.setAttribute(k, String(v));
    else (node as unknown as Record<string, unknown>)[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await res.json()) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new Error(body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`);
  return body as T;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function timeOf(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function pretty(body: unknown): string {
  if (body === undefined) return '(no body)';
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

const CONNECTION_LABELS = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  closed: 'disconnected',
} as const;

/** Shows an EventSource's state in a badge. */
function setConnection(badge: HTMLElement, s: keyof typeof CONNECTION_LABELS): void {
  badge.dataset.state = s;
  badge.textContent = CONNECTION_LABELS[s];
}

/** A paged list's place: the page on screen and the cursor that fetched it (null: the newest page, kept live). */
interface Paging {
  page: { older: number | null; newer: number | null } | null;
  cursor: { key: 'before' | 'after'; seq: number } | null;
}

/**
 * The pager of a list paged by sequence number (exchanges, OCPP frames): Older, Newer, and the "new rows" button
 * that goes back to the live newest page. `rows` is the list's tbody, whose rows carry data-seq.
 */
function wirePager(
  ids: { older: string; newer: string; fresh: string },
  paging: Paging,
  rows: () => HTMLElement,
  load: () => Promise<void>,
): void {
  $(ids.older).addEventListener('click', () => {
    const older = paging.page?.older;
    if (older === null || older === undefined) return;
    paging.cursor = { key: 'before', seq: older };
    void load();
  });
  $(ids.newer).addEventListener('click', () => {
    const first = rows().firstElementChild as HTMLElement | null;
    paging.cursor = first ? { key: 'after', seq: Number(first.dataset.seq) } : null;
    // The newest page is the live one: reload it without a cursor so new rows appear on it again.
    void load().then(() => {
      if (paging.cursor && paging.page && paging.page.newer === null) {
        paging.cursor = null;
        void load();
      }
    });
  });
  $(ids.fresh).addEventListener('click', () => {
    paging.cursor = null;
    void load();
  });
}
