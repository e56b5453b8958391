/**
 * The monitor page's script for the exchanges (ocpp.ts has the OCPP tab, dom.ts what both use), compiled with them
 * to classic scripts (no imports: the page sends them inline under its CSP nonce) by src/monitor/browser/tsconfig.json,
 * type-checked against the DOM. Every recorded value reaches the DOM through textContent or attribute setters, never
 * through HTML parsing: partners' bodies are data, not markup. The shapes below are what /monitor/api answers
 * (src/monitor/rows.ts, api.ts, state-views.ts); they are restated here because browser code imports nothing of the
 * server.
 */

interface Row {
  seq: number;
  id: string;
  startedAt: string;
  direction: string;
  partnerId: string | null;
  operation: string;
  httpStatus: number | null;
  statusCode: string | null;
  durationMs: number;
  violations: number;
  violationKinds: string[];
  transportError: string | null;
  sessionId: string | null;
  forwardStatus: string | null;
}

interface ListPage {
  items: Row[];
  total: number;
  recorded: number;
  dropped: number;
  newestSeq: number;
  older: number | null;
  newer: number | null;
}

interface Message {
  method?: string;
  url?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Detail {
  row: Row;
  exchange: {
    id: string;
    startedAt: string;
    direction: string;
    partnerId: string | null;
    operation: string;
    statusCode: string | null;
    durationMs: number;
    sessionId: string | null;
    transportError: { code: string; message: string } | null;
    violations: { side: string; kind: string; pointer: string; message: string }[];
    violationTotal?: number;
    request?: Message;
    response?: Message;
  };
  session: { origin: string; status: string } | null;
  cdr: { forwardStatus: string; forwardInfo?: string | null } | null;
  cause: { id: string; operation: string } | null;
  legs: { id: string; operation: string; partnerId: string | null; httpStatus: number | null }[];
}

interface Meta {
  categories: { id: string; label: string; operations: string[] }[];
}

interface EvseView {
  total: number;
  operators: {
    OperatorID: string;
    OperatorName?: string | null;
    evses: {
      EvseID: string;
      ChargingStationName?: string | null;
      EvseStatus?: string | null;
      statusUpdatedAt?: string | null;
      hasData?: boolean;
    }[];
  }[];
}

interface CdrChange {
  SessionID: string;
  forwardStatus: string;
}

type FilterKey = 'q' | 'direction' | 'operation' | 'partner' | 'forward';

(() => {
  const API = '/monitor/api';
  const FILTER_INPUTS: readonly FilterKey[] = ['q', 'direction', 'operation', 'partner', 'forward'];
  const state: Record<FilterKey, string> & {
    category: string;
    violations: boolean;
    session: string;
    limit: number;
    cursor: { key: 'before' | 'after'; seq: number } | null;
    page: ListPage | null;
    selected: string | null;
    newCount: number;
    meta: Meta | null;
  } = {
    category: 'all',
    q: '',
    direction: '',
    operation: '',
    partner: '',
    forward: '',
    violations: false,
    session: '',
    limit: 100,
    cursor: null,
    page: null,
    selected: null,
    newCount: 0,
    meta: null,
  };
  let stream: EventSource | null = null;
  let queued: Row[] = [];
  let flushPending = false;
  let evseTimer: ReturnType<typeof setTimeout> | null = null;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  const input = (id: string): HTMLInputElement | HTMLSelectElement => $(id) as HTMLInputElement | HTMLSelectElement;
  const checkbox = (id: string): HTMLInputElement => $(id) as HTMLInputElement;
  const button = (id: string): HTMLButtonElement => $(id) as HTMLButtonElement;
  const rowOf = (target: EventTarget | null): HTMLElement | null =>
    target instanceof Element ? target.closest<HTMLElement>('tr') : null;

  function filterParams(): URLSearchParams {
    const p = new URLSearchParams();
    if (state.category !== 'all') p.set('category', state.category);
    for (const k of FILTER_INPUTS) if (state[k]) p.set(k, state[k]);
    if (state.violations) p.set('violations', 'true');
    if (state.session) p.set('session', state.session);
    return p;
  }

  function writeHash(): void {
    const p = filterParams();
    history.replaceState(null, '', p.toString() ? `#${p.toString()}` : location.pathname);
  }

  function readHash(): void {
    const p = new URLSearchParams(location.hash.slice(1));
    state.category = p.get('category') || 'all';
    for (const k of FILTER_INPUTS) state[k] = p.get(k) || '';
    state.violations = p.get('violations') === 'true';
    state.session = p.get('session') || '';
  }

  function showError(message: string): void {
    $('error').textContent = message || '';
    $('error').hidden = !message;
  }

  function forwardBadge(status: string | null | undefined): HTMLElement | null {
    return status ? el('span', { className: `badge fwd-${status}`, text: status, title: 'CDR forward status' }) : null;
  }

  function rowEl(row: Row): HTMLElement {
    const failed = row.transportError || (row.httpStatus !== null && row.httpStatus >= 400);
    const negative = row.statusCode && row.statusCode !== '000';
    const tr = el('tr', {
      className:
        (failed ? 'failed ' : '') + (negative ? 'negative ' : '') + (state.selected === row.id ? 'selected' : ''),
      tabIndex: 0,
      'data-id': row.id,
      'data-seq': row.seq,
      'data-session': row.sessionId || '',
      'data-operation': row.operation,
      'data-forward': row.forwardStatus || '',
    });
    const soft = row.violationKinds.every((k) => k === 'unknown-property');
    tr.appendChild(el('td', { className: 'mono', text: timeOf(row.startedAt), title: row.startedAt }));
    tr.appendChild(el('td', { text: row.direction }));
    tr.appendChild(el('td', { className: 'mono', text: row.partnerId || '–' }));
    tr.appendChild(el('td', { className: 'op' }, [row.operation, forwardBadge(row.forwardStatus)]));
    tr.appendChild(
      el('td', {
        className: 'http',
        text: row.httpStatus === null ? 'no answer' : row.httpStatus,
        title: row.transportError || '',
      }),
    );
    tr.appendChild(el('td', { className: 'status mono', text: row.statusCode || '–' }));
    tr.appendChild(el('td', { className: 'num', text: `${row.durationMs.toFixed(1)} ms` }));
    tr.appendChild(
      el('td', { className: 'viol' }, [
        row.violations
          ? el('span', {
              className: `badge viol${soft ? ' soft' : ''}`,
              text: row.violations,
              title: row.violationKinds.join(', '),
            })
          : el('span', { className: 'muted', text: '–' }),
      ]),
    );
    tr.appendChild(
      el('td', {
        className: 'mono',
        text: row.sessionId ? `${row.sessionId.slice(0, 8)}…` : '',
        title: row.sessionId || '',
      }),
    );
    return tr;
  }

  function renderSummary(): void {
    const p = state.page;
    if (!p) return;
    const shown = $('rows').children.length;
    $('summary').textContent = `${shown} shown of ${p.total} matching`;
    $('counts').textContent = `${p.recorded} exchanges in memory${p.dropped ? ` (${p.dropped} older dropped)` : ''}`;
    $('empty').hidden = shown > 0;
    button('newer').disabled = state.cursor === null;
    button('older').disabled = p.older === null;
    $('new-rows').hidden = state.newCount === 0;
    $('new-rows').textContent = `${state.newCount} new · show newest`;
  }

  async function loadList(): Promise<void> {
    const p = filterParams();
    ($('csv') as HTMLAnchorElement).href = `${API}/exchanges.csv${p.toString() ? `?${p.toString()}` : ''}`;
    p.set('limit', String(state.limit));
    if (state.cursor) p.set(state.cursor.key, String(state.cursor.seq));
    let page: ListPage;
    try {
      page = await getJson<ListPage>(`${API}/exchanges?${p.toString()}`);
      showError('');
    } catch (e) {
      showError(messageOf(e));
      return;
    }
    state.page = page;
    state.newCount = 0;
    queued = [];
    const body = $('rows');
    const fragment = document.createDocumentFragment();
    for (const row of page.items) fragment.appendChild(rowEl(row));
    body.replaceChildren(fragment);
    renderSummary();
    openStream(page.newestSeq);
  }

  function openStream(after: number): void {
    if (stream) stream.close();
    const p = filterParams();
    p.set('after', String(after));
    const source = new EventSource(`${API}/stream?${p.toString()}`);
    stream = source;
    setConn('connecting');
    source.onopen = () => setConn('live');
    source.onerror = () => setConn(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('exchange', (e) => onLiveRow(JSON.parse((e as MessageEvent<string>).data) as Row));
    source.addEventListener('cdr', (e) => onCdr(JSON.parse((e as MessageEvent<string>).data) as CdrChange));
    source.addEventListener('evse', scheduleEvses);
  }

  function setConn(s: keyof typeof CONNECTION_LABELS): void {
    setConnection($('conn'), s);
  }

  function onLiveRow(row: Row): void {
    if (!state.page) return;
    state.page.total++;
    state.page.recorded++;
    if (state.cursor === null) {
      queued.push(row);
      // Batch per animation frame: a burst of hundreds of exchanges becomes one DOM update.
      if (!flushPending) {
        flushPending = true;
        requestAnimationFrame(flush);
      }
    } else {
      state.newCount++;
      renderSummary();
    }
  }

  function flush(): void {
    flushPending = false;
    const body = $('rows');
    const fragment = document.createDocumentFragment();
    for (let i = queued.length - 1; i >= 0; i--) fragment.appendChild(rowEl(queued[i] as Row));
    queued = [];
    body.insertBefore(fragment, body.firstChild);
    while (body.children.length > state.limit && body.lastChild) body.removeChild(body.lastChild);
    const last = body.lastElementChild as HTMLElement | null;
    if (state.page && last && state.page.total > body.children.length) state.page.older = Number(last.dataset.seq);
    renderSummary();
  }

  function onCdr(change: CdrChange): void {
    const sid = change.SessionID.toLowerCase();
    // Rows still waiting for the next animation frame carry the status they were recorded with: update them too,
    // or a forward that failed within the same frame stays PENDING on the page.
    for (const row of queued) {
      if (row.operation === 'ChargeDetailRecord' && row.forwardStatus && (row.sessionId || '').toLowerCase() === sid)
        row.forwardStatus = change.forwardStatus;
    }
    for (const tr of $('rows').querySelectorAll<HTMLElement>('tr[data-operation="ChargeDetailRecord"]')) {
      if ((tr.dataset.session ?? '').toLowerCase() !== sid || !tr.dataset.forward) continue;
      tr.dataset.forward = change.forwardStatus;
      const cell = tr.querySelector('td.op');
      if (!cell) continue;
      cell.querySelector('.badge')?.remove();
      const badge = forwardBadge(change.forwardStatus);
      if (badge) cell.appendChild(badge);
    }
    if (state.selected) void showDetail(state.selected, true);
  }

  function link(text: string, onclick: () => void): HTMLElement {
    return el('button', { type: 'button', className: 'link mono', text, onclick });
  }

  function section(title: string, message: Message | undefined, side: 'request' | 'response'): HTMLElement[] {
    const out = [el('h3', { text: title + (side === 'response' && message ? ` · HTTP ${message.status}` : '') })];
    if (!message) return out.concat([el('p', { className: 'muted', text: 'none' })]);
    if (message.method || message.url)
      out.push(el('p', { className: 'mono', text: `${message.method || ''} ${message.url || ''}` }));
    const headers = message.headers || {};
    out.push(
      el('pre', {
        className: 'headers',
        text:
          Object.keys(headers)
            .map((k) => `${k}: ${headers[k]}`)
            .join('\n') || '(no headers)',
      }),
    );
    out.push(el('pre', { className: `body ${side}-body`, text: pretty(message.body) }));
    return out;
  }

  async function showDetail(id: string, quiet = false): Promise<void> {
    let d: Detail;
    try {
      d = await getJson<Detail>(`${API}/exchanges/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!quiet) showError(messageOf(e));
      return;
    }
    state.selected = id;
    for (const tr of $('rows').children) tr.classList.toggle('selected', (tr as HTMLElement).dataset.id === id);
    const x = d.exchange;
    const facts: [string, string | number][] = [
      ['Exchange', `${x.id} (seq ${d.row.seq})`],
      ['Started', x.startedAt],
      ['Direction', x.direction],
      ['Partner', x.partnerId || '–'],
      ['HTTP', d.row.httpStatus === null ? 'no answer' : d.row.httpStatus],
      ['StatusCode', x.statusCode || '–'],
      ['Duration', `${x.durationMs} ms`],
    ];
    const dl = el('dl', { className: 'facts' });
    for (const [term, value] of facts) {
      dl.appendChild(el('dt', { text: term }));
      dl.appendChild(el('dd', { text: value }));
    }
    const sessionId = x.sessionId;
    if (sessionId) {
      dl.appendChild(el('dt', { text: 'SessionID' }));
      dl.appendChild(
        el('dd', {}, [
          link(sessionId, () => setSession(sessionId)),
          d.session ? ` (${d.session.origin}, ${d.session.status})` : '',
        ]),
      );
    }
    if (d.cdr) {
      dl.appendChild(el('dt', { text: 'CDR' }));
      dl.appendChild(
        el('dd', { className: 'cdr-forward' }, [
          forwardBadge(d.cdr.forwardStatus),
          d.cdr.forwardInfo ? ` ${d.cdr.forwardInfo}` : '',
        ]),
      );
    }
    if (x.transportError) {
      dl.appendChild(el('dt', { text: 'Transport' }));
      dl.appendChild(el('dd', { text: `${x.transportError.code}: ${x.transportError.message}` }));
    }
    const cause = d.cause;
    if (cause) {
      dl.appendChild(el('dt', { text: 'Caused by' }));
      dl.appendChild(el('dd', {}, [link(`${cause.operation} ${cause.id}`, () => void showDetail(cause.id))]));
    }
    for (const leg of d.legs) {
      dl.appendChild(el('dt', { text: 'Forwarded leg' }));
      dl.appendChild(
        el('dd', {}, [
          link(`${leg.operation} ${leg.id}`, () => void showDetail(leg.id)),
          ` → ${leg.partnerId || '?'} ${leg.httpStatus === null ? 'no answer' : `HTTP ${leg.httpStatus}`}`,
        ]),
      );
    }
    const violations = el(
      'ul',
      { className: 'violations' },
      x.violations.map((v) =>
        el('li', {}, [`${v.side} ${v.kind} `, el('code', { text: v.pointer || '/' }), `: ${v.message}`]),
      ),
    );
    const total = x.violationTotal ?? 0;
    const parts = [
      el('h2', {}, [
        el('span', { text: x.operation }),
        el('button', { type: 'button', id: 'detail-close', text: 'Close', onclick: closeDetail }),
      ]),
      dl,
      el('h3', { text: `Violations (${total || x.violations.length})` }),
      x.violations.length ? violations : el('p', { className: 'muted', text: 'none' }),
      ...(total > x.violations.length
        ? [
            el('p', {
              className: 'muted',
              text: `the first ${x.violations.length} are kept; ${total - x.violations.length} more were found`,
            }),
          ]
        : []),
      ...section('Request', x.request, 'request'),
      ...section('Response', x.response, 'response'),
    ];
    $('detail').replaceChildren(...parts);
    $('detail').hidden = false;
  }

  function closeDetail(): void {
    state.selected = null;
    $('detail').hidden = true;
    for (const tr of $('rows').querySelectorAll('tr.selected')) tr.classList.remove('selected');
  }

  function scheduleEvses(): void {
    if (evseTimer) return;
    evseTimer = setTimeout(() => {
      evseTimer = null;
      void loadEvses();
    }, 300);
  }

  async function loadEvses(): Promise<void> {
    let v: EvseView;
    try {
      v = await getJson<EvseView>(`${API}/evses`);
    } catch {
      return;
    }
    $('evse-count').textContent = `(${v.total})`;
    let out = v.operators.map((o) => {
      const table = el('table', { className: 'evse-table' }, [
        el(
          'tbody',
          {},
          o.evses.map((e) =>
            el('tr', { 'data-evse': e.EvseID }, [
              el('td', { className: 'mono', text: e.EvseID, title: e.ChargingStationName || '' }),
              el('td', {}, [
                el('span', { className: `st st-${e.EvseStatus || 'none'}`, text: e.EvseStatus || 'no status' }),
              ]),
              el('td', {
                className: 'muted',
                text: e.statusUpdatedAt ? timeOf(e.statusUpdatedAt) : e.hasData ? 'data only' : '',
              }),
            ]),
          ),
        ),
      ]);
      return el('div', {}, [
        el('h3', { text: `${o.OperatorID}${o.OperatorName ? ` · ${o.OperatorName}` : ''} (${o.evses.length})` }),
        table,
      ]);
    });
    if (!out.length) out = [el('p', { className: 'muted', text: 'No EVSE data or status yet.' })];
    $('evses').replaceChildren(...out);
  }

  function renderTabs(meta: Meta): void {
    $('tabs').replaceChildren(
      ...meta.categories.map((c) =>
        el('button', {
          type: 'button',
          role: 'tab',
          text: c.label,
          'data-category': c.id,
          onclick: () => {
            state.category = c.id;
            state.operation = '';
            apply();
          },
        }),
      ),
    );
  }

  function syncControls(): void {
    const meta = state.meta;
    if (!meta) return;
    // While the OCPP tab is open (ocpp.ts), it is the selected one.
    const shown = !$('exchanges-view').hidden;
    for (const b of $('tabs').children) {
      b.setAttribute('aria-selected', String(shown && (b as HTMLElement).dataset.category === state.category));
    }
    const cat = meta.categories.filter((c) => c.id === state.category)[0] || meta.categories[0];
    $('operation').replaceChildren(
      el('option', { value: '', text: 'every operation' }),
      ...(cat?.operations ?? []).map((op) => el('option', { value: op, text: op })),
    );
    for (const k of FILTER_INPUTS) input(k).value = state[k];
    checkbox('violations').checked = state.violations;
    $('session-chip').hidden = !state.session;
    $('session-value').textContent = state.session;
  }

  function apply(): void {
    state.cursor = null;
    writeHash();
    syncControls();
    void loadList();
  }

  function setSession(id: string): void {
    state.session = id;
    state.category = 'sessions';
    apply();
  }

  function wire(): void {
    $('filters').addEventListener('submit', (e) => e.preventDefault());
    for (const k of ['direction', 'operation', 'forward'] as const) {
      $(k).addEventListener('change', () => {
        state[k] = input(k).value;
        apply();
      });
    }
    for (const k of ['q', 'partner'] as const) {
      $(k).addEventListener('input', () => {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => {
          state[k] = input(k).value.trim();
          apply();
        }, 250);
      });
    }
    $('violations').addEventListener('change', () => {
      state.violations = checkbox('violations').checked;
      apply();
    });
    $('limit').addEventListener('change', () => {
      state.limit = Number(input('limit').value);
      apply();
    });
    $('session-clear').addEventListener('click', () => {
      state.session = '';
      apply();
    });
    wirePager({ older: 'older', newer: 'newer', fresh: 'new-rows' }, state, () => $('rows'), loadList);
    $('rows').addEventListener('click', (e) => {
      const tr = rowOf(e.target);
      if (tr?.dataset.id) void showDetail(tr.dataset.id);
    });
    $('rows').addEventListener('keydown', (e) => {
      const tr = rowOf(e.target);
      if (tr?.dataset.id && e.key === 'Enter') void showDetail(tr.dataset.id);
    });
    window.addEventListener('hashchange', () => {
      readHash();
      apply();
    });
  }

  async function start(): Promise<void> {
    readHash();
    wire();
    try {
      state.meta = await getJson<Meta>(`${API}/meta`);
    } catch (e) {
      showError(messageOf(e));
      return;
    }
    renderTabs(state.meta);
    syncControls();
    void loadEvses();
    void loadList();
  }

  void start();
})();
