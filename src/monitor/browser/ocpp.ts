/**
 * The monitor page's OCPP tab: the frames the run's charge points exchange with the CSMS, newest first and live over
 * their own event stream, a frame's detail beside the list. It shares the page with page.ts (the exchanges) through
 * the DOM only: opening the tab hides the exchange view, a category tab brings it back. The shapes below are what
 * /monitor/api/ocpp answers (src/monitor/ocpp-rows.ts, ocpp-api.ts).
 */

interface OcppRow {
  seq: number;
  at: string;
  chargePointId: string;
  direction: string;
  type: string;
  messageId: string | null;
  action: string | null;
  errorCode: string | null;
  summary: string;
}

interface OcppPage {
  enabled: boolean;
  items: OcppRow[];
  total: number;
  older: number | null;
  newer: number | null;
  newestSeq: number;
  recorded: number;
  dropped: number;
}

interface OcppDetail {
  frame: {
    seq: number;
    at: string;
    chargePointId: string;
    direction: string;
    type: string;
    messageId?: string;
    action?: string;
    payload?: unknown;
    errorCode?: string;
    errorDescription?: string;
    text?: string;
  };
  pair: OcppRow | null;
}

(() => {
  const API = '/monitor/api/ocpp';
  const LIMIT = 100;
  const ARROWS: Record<string, string> = { 'cp→csms': 'CP → CSMS', 'csms→cp': 'CSMS → CP' };
  const view: {
    loaded: boolean;
    page: OcppPage | null;
    cursor: { key: 'before' | 'after'; seq: number } | null;
    selected: number | null;
    newCount: number;
  } = { loaded: false, page: null, cursor: null, selected: null, newCount: 0 };
  let source: EventSource | null = null;
  let queued: OcppRow[] = [];
  let flushPending = false;

  const rows = (): HTMLElement => $('ocpp-rows');
  const button = (id: string): HTMLButtonElement => $(id) as HTMLButtonElement;

  function showError(message: string): void {
    $('ocpp-error').textContent = message;
    $('ocpp-error').hidden = !message;
  }

  /** Opens or leaves the tab; the exchange view stays loaded underneath, and its stream live. */
  function show(on: boolean): void {
    $('ocpp-view').hidden = !on;
    $('exchanges-view').hidden = on;
    $('ocpp-tab').setAttribute('aria-selected', String(on));
    if (!on) return;
    for (const b of $('tabs').children) b.setAttribute('aria-selected', 'false');
    history.replaceState(null, '', '#view=ocpp');
    if (!view.loaded) void load();
  }

  function rowEl(r: OcppRow): HTMLElement {
    const detail = r.errorCode ? `${r.errorCode}: ${r.summary}` : r.summary;
    return el(
      'tr',
      {
        className: `frame-${r.type}${view.selected === r.seq ? ' selected' : ''}`,
        tabIndex: 0,
        'data-seq': r.seq,
        'data-type': r.type,
      },
      [
        el('td', { className: 'mono', text: timeOf(r.at), title: r.at }),
        el('td', { className: 'mono', text: r.chargePointId }),
        el('td', { className: 'dir', text: ARROWS[r.direction] ?? r.direction }),
        el('td', {}, [el('span', { className: `badge type-${r.type}`, text: r.type })]),
        el('td', { className: 'op', text: r.action || '–' }),
        el('td', { className: 'mono', text: r.messageId || '–' }),
        el('td', { className: 'mono payload', text: detail, title: detail }),
      ],
    );
  }

  function render(): void {
    const p = view.page;
    if (!p) return;
    const shown = rows().children.length;
    $('ocpp-summary').textContent =
      `${shown} shown of ${p.recorded} frames in memory${p.dropped ? ` (${p.dropped} older dropped)` : ''}`;
    $('ocpp-empty').hidden = shown > 0;
    button('ocpp-newer').disabled = view.cursor === null;
    button('ocpp-older').disabled = p.older === null;
    $('ocpp-new').hidden = view.newCount === 0;
    $('ocpp-new').textContent = `${view.newCount} new · show newest`;
  }

  async function load(): Promise<void> {
    const p = new URLSearchParams({ limit: String(LIMIT) });
    if (view.cursor) p.set(view.cursor.key, String(view.cursor.seq));
    let page: OcppPage;
    try {
      page = await getJson<OcppPage>(`${API}?${p.toString()}`);
      showError('');
    } catch (e) {
      showError(messageOf(e));
      return;
    }
    view.loaded = true;
    view.page = page;
    view.newCount = 0;
    queued = [];
    // No charge points in this process: say so instead of an empty table, and open no stream.
    $('ocpp-none').hidden = page.enabled;
    $('ocpp-frames').hidden = !page.enabled;
    if (!page.enabled) return;
    rows().replaceChildren(...page.items.map(rowEl));
    render();
    openStream(page.newestSeq);
  }

  /** Reopened with every load, after that page's newest seq: no frame is missed between the page and the stream. */
  function openStream(after: number): void {
    source?.close();
    const s = new EventSource(`${API}/stream?after=${after}`);
    source = s;
    setConnection($('ocpp-conn'), 'connecting');
    s.onopen = () => setConnection($('ocpp-conn'), 'live');
    s.onerror = () => setConnection($('ocpp-conn'), s.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    s.addEventListener('ocpp', (e) => onLive(JSON.parse((e as MessageEvent<string>).data) as OcppRow));
  }

  function onLive(row: OcppRow): void {
    const p = view.page;
    if (!p) return;
    p.recorded++;
    p.newestSeq = row.seq;
    if (view.cursor !== null) {
      view.newCount++;
      render();
      return;
    }
    queued.push(row);
    // Batch per animation frame: a charge point's burst (boot, status of every connector) becomes one DOM update.
    if (!flushPending) {
      flushPending = true;
      requestAnimationFrame(flush);
    }
  }

  function flush(): void {
    flushPending = false;
    const body = rows();
    const fragment = document.createDocumentFragment();
    for (let i = queued.length - 1; i >= 0; i--) fragment.appendChild(rowEl(queued[i] as OcppRow));
    queued = [];
    body.insertBefore(fragment, body.firstChild);
    while (body.children.length > LIMIT && body.lastChild) body.removeChild(body.lastChild);
    const last = body.lastElementChild as HTMLElement | null;
    if (view.page && last && view.page.recorded > body.children.length) view.page.older = Number(last.dataset.seq);
    render();
  }

  function fact(dl: HTMLElement, term: string, value: Child): void {
    dl.appendChild(el('dt', { text: term }));
    dl.appendChild(el('dd', {}, [value]));
  }

  async function showDetail(seq: number): Promise<void> {
    let d: OcppDetail;
    try {
      d = await getJson<OcppDetail>(`${API}/${seq}`);
    } catch (e) {
      showError(messageOf(e));
      return;
    }
    view.selected = seq;
    for (const tr of rows().children) tr.classList.toggle('selected', (tr as HTMLElement).dataset.seq === String(seq));
    const f = d.frame;
    const dl = el('dl', { className: 'facts' });
    fact(dl, 'Frame', `seq ${f.seq}`);
    fact(dl, 'Time', f.at);
    fact(dl, 'Charge point', f.chargePointId);
    fact(dl, 'Direction', ARROWS[f.direction] ?? f.direction);
    fact(dl, 'Type', f.type);
    fact(dl, 'Action', f.action || '–');
    fact(dl, 'Message ID', f.messageId || '–');
    if (f.type === 'CALLERROR') fact(dl, 'Error', `${f.errorCode || ''}: ${f.errorDescription || ''}`);
    const pair = d.pair;
    if (pair) {
      const label = `${pair.type} ${pair.action || ''} seq ${pair.seq} at ${timeOf(pair.at)}`;
      fact(
        dl,
        f.type === 'CALL' ? 'Answered by' : 'Answers',
        el('button', { type: 'button', className: 'link mono', text: label, onclick: () => void showDetail(pair.seq) }),
      );
    } else if (f.type === 'CALL') fact(dl, 'Answered by', 'no answer in memory yet');
    const body =
      f.type === 'MALFORMED'
        ? [el('h3', { text: 'Text as received' }), el('pre', { className: 'body frame-text', text: f.text || '' })]
        : [
            el('h3', { text: f.type === 'CALLERROR' ? 'Error details' : 'Payload' }),
            el('pre', { className: 'body frame-payload', text: pretty(f.payload) }),
          ];
    $('ocpp-detail').replaceChildren(
      el('h2', {}, [
        el('span', { text: `${f.type} ${f.action || ''}` }),
        el('button', { type: 'button', id: 'ocpp-detail-close', text: 'Close', onclick: closeDetail }),
      ]),
      dl,
      ...body,
    );
    $('ocpp-detail').hidden = false;
  }

  function closeDetail(): void {
    view.selected = null;
    $('ocpp-detail').hidden = true;
    for (const tr of rows().querySelectorAll('tr.selected')) tr.classList.remove('selected');
  }

  const seqOf = (target: EventTarget | null): number | null => {
    const tr = target instanceof Element ? target.closest<HTMLElement>('tr') : null;
    return tr?.dataset.seq ? Number(tr.dataset.seq) : null;
  };

  function wire(): void {
    $('ocpp-tab').addEventListener('click', () => show(true));
    // Capture: the view is back before page.ts's own handler marks the category it selects.
    $('tabs').addEventListener('click', () => show(false), true);
    wirePager({ older: 'ocpp-older', newer: 'ocpp-newer', fresh: 'ocpp-new' }, view, rows, load);
    rows().addEventListener('click', (e) => {
      const seq = seqOf(e.target);
      if (seq !== null) void showDetail(seq);
    });
    rows().addEventListener('keydown', (e) => {
      const seq = seqOf(e.target);
      if (seq !== null && e.key === 'Enter') void showDetail(seq);
    });
    window.addEventListener('hashchange', () => {
      if (new URLSearchParams(location.hash.slice(1)).get('view') === 'ocpp') show(true);
    });
  }

  wire();
  if (new URLSearchParams(location.hash.slice(1)).get('view') === 'ocpp') show(true);
})();
