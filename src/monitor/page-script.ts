/**
 * The monitor page's script, sent inline. Plain browser JavaScript (the project's tsconfig has no DOM types), kept
 * free of template literals so it can live in this one. Every recorded value reaches the DOM through textContent or
 * attribute setters, never through HTML parsing: partners' bodies are data, not markup.
 */
export const PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  var API = '/monitor/api';
  var FILTER_INPUTS = ['q', 'direction', 'operation', 'partner', 'forward'];
  var state = {
    category: 'all', q: '', direction: '', operation: '', partner: '', forward: '', violations: false, session: '',
    limit: 100, cursor: null, page: null, selected: null, newCount: 0, meta: null,
  };
  var stream = null;
  var queued = [];
  var flushPending = false;
  var evseTimer = null;
  var searchTimer = null;

  function $(id) { return document.getElementById(id); }

  /** Builds an element; strings in children become text nodes, so nothing is ever parsed as HTML. */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    Object.keys(props).forEach(function (k) {
      var v = props[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'className') node.className = v;
      else if (k === 'text') node.textContent = String(v);
      else if (k === 'onclick') node.addEventListener('click', v);
      else if (k.indexOf('data-') === 0) node.setAttribute(k, String(v));
      else node[k] = v;
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function filterParams() {
    var p = new URLSearchParams();
    if (state.category !== 'all') p.set('category', state.category);
    FILTER_INPUTS.forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    if (state.violations) p.set('violations', 'true');
    if (state.session) p.set('session', state.session);
    return p;
  }

  function writeHash() {
    var p = filterParams();
    history.replaceState(null, '', p.toString() ? '#' + p.toString() : location.pathname);
  }

  function readHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    state.category = p.get('category') || 'all';
    FILTER_INPUTS.forEach(function (k) { state[k] = p.get(k) || ''; });
    state.violations = p.get('violations') === 'true';
    state.session = p.get('session') || '';
  }

  async function getJson(url) {
    var res = await fetch(url, { headers: { accept: 'application/json' } });
    var body = await res.json();
    if (!res.ok) throw new Error(body && body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + res.status);
    return body;
  }

  function showError(message) {
    $('error').textContent = message || '';
    $('error').hidden = !message;
  }

  function pad(n, w) { n = String(n); while (n.length < (w || 2)) n = '0' + n; return n; }
  function timeOf(iso) {
    var d = new Date(iso);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
  }
  function pretty(body) {
    if (body === undefined) return '(no body)';
    return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  }

  function forwardBadge(status) {
    return status ? el('span', { className: 'badge fwd-' + status, text: status, title: 'CDR forward status' }) : null;
  }

  function rowEl(row) {
    var failed = row.transportError || (row.httpStatus !== null && row.httpStatus >= 400);
    var negative = row.statusCode && row.statusCode !== '000';
    var tr = el('tr', {
      className: (failed ? 'failed ' : '') + (negative ? 'negative ' : '') + (state.selected === row.id ? 'selected' : ''),
      tabIndex: 0, 'data-id': row.id, 'data-seq': row.seq, 'data-session': row.sessionId || '', 'data-operation': row.operation,
      'data-forward': row.forwardStatus || '',
    });
    var soft = row.violationKinds.every(function (k) { return k === 'unknown-property'; });
    tr.appendChild(el('td', { className: 'mono', text: timeOf(row.startedAt), title: row.startedAt }));
    tr.appendChild(el('td', { text: row.direction }));
    tr.appendChild(el('td', { className: 'mono', text: row.partnerId || '–' }));
    tr.appendChild(el('td', { className: 'op' }, [row.operation, forwardBadge(row.forwardStatus)]));
    tr.appendChild(el('td', { className: 'http', text: row.httpStatus === null ? 'no answer' : row.httpStatus, title: row.transportError || '' }));
    tr.appendChild(el('td', { className: 'status mono', text: row.statusCode || '–' }));
    tr.appendChild(el('td', { className: 'num', text: row.durationMs.toFixed(1) + ' ms' }));
    tr.appendChild(el('td', { className: 'viol' }, [row.violations
      ? el('span', { className: 'badge viol' + (soft ? ' soft' : ''), text: row.violations, title: row.violationKinds.join(', ') })
      : el('span', { className: 'muted', text: '–' })]));
    tr.appendChild(el('td', { className: 'mono', text: row.sessionId ? row.sessionId.slice(0, 8) + '…' : '', title: row.sessionId || '' }));
    return tr;
  }

  function renderSummary() {
    var p = state.page;
    if (!p) return;
    var shown = $('rows').children.length;
    $('summary').textContent = shown + ' shown of ' + p.total + ' matching';
    $('counts').textContent = p.recorded + ' exchanges in memory' + (p.dropped ? ' (' + p.dropped + ' older dropped)' : '');
    $('empty').hidden = shown > 0;
    $('newer').disabled = state.cursor === null;
    $('older').disabled = p.older === null;
    $('new-rows').hidden = state.newCount === 0;
    $('new-rows').textContent = state.newCount + ' new · show newest';
  }

  async function loadList() {
    var p = filterParams();
    $('csv').href = API + '/exchanges.csv' + (p.toString() ? '?' + p.toString() : '');
    p.set('limit', String(state.limit));
    if (state.cursor) p.set(state.cursor.key, String(state.cursor.seq));
    var page;
    try {
      page = await getJson(API + '/exchanges?' + p.toString());
      showError('');
    } catch (e) {
      showError(e.message);
      return;
    }
    state.page = page;
    state.newCount = 0;
    queued = [];
    var body = $('rows');
    var fragment = document.createDocumentFragment();
    page.items.forEach(function (row) { fragment.appendChild(rowEl(row)); });
    body.replaceChildren(fragment);
    renderSummary();
    openStream(page.newestSeq);
  }

  function openStream(after) {
    if (stream) stream.close();
    var p = filterParams();
    p.set('after', String(after));
    stream = new EventSource(API + '/stream?' + p.toString());
    setConn('connecting');
    stream.onopen = function () { setConn('live'); };
    stream.onerror = function () { setConn(stream.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'); };
    stream.addEventListener('exchange', function (e) { onLiveRow(JSON.parse(e.data)); });
    stream.addEventListener('cdr', function (e) { onCdr(JSON.parse(e.data)); });
    stream.addEventListener('evse', scheduleEvses);
  }

  function setConn(s) {
    var labels = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', closed: 'disconnected' };
    $('conn').dataset.state = s;
    $('conn').textContent = labels[s];
  }

  function onLiveRow(row) {
    if (!state.page) return;
    state.page.total++;
    state.page.recorded++;
    if (state.cursor === null) {
      queued.push(row);
      // Batch per animation frame: a burst of hundreds of exchanges becomes one DOM update.
      if (!flushPending) { flushPending = true; requestAnimationFrame(flush); }
    } else {
      state.newCount++;
      renderSummary();
    }
  }

  function flush() {
    flushPending = false;
    var body = $('rows');
    var fragment = document.createDocumentFragment();
    for (var i = queued.length - 1; i >= 0; i--) fragment.appendChild(rowEl(queued[i]));
    queued = [];
    body.insertBefore(fragment, body.firstChild);
    while (body.children.length > state.limit) body.removeChild(body.lastChild);
    if (state.page.total > body.children.length) state.page.older = Number(body.lastChild.dataset.seq);
    renderSummary();
  }

  function onCdr(change) {
    var sid = change.SessionID.toLowerCase();
    // Rows still waiting for the next animation frame carry the status they were recorded with: update them too,
    // or a forward that failed within the same frame stays PENDING on the page.
    queued.forEach(function (row) {
      if (row.operation === 'ChargeDetailRecord' && row.forwardStatus && (row.sessionId || '').toLowerCase() === sid) row.forwardStatus = change.forwardStatus;
    });
    var rows = $('rows').querySelectorAll('tr[data-operation="ChargeDetailRecord"]');
    Array.prototype.forEach.call(rows, function (tr) {
      if (tr.dataset.session.toLowerCase() !== change.SessionID.toLowerCase() || !tr.dataset.forward) return;
      tr.dataset.forward = change.forwardStatus;
      var cell = tr.querySelector('td.op');
      var old = cell.querySelector('.badge');
      if (old) old.remove();
      cell.appendChild(forwardBadge(change.forwardStatus));
    });
    if (state.selected) showDetail(state.selected, true);
  }

  function link(text, onclick) { return el('button', { type: 'button', className: 'link mono', text: text, onclick: onclick }); }

  function section(title, message, side) {
    var out = [el('h3', { text: title + (side === 'response' && message ? ' · HTTP ' + message.status : '') })];
    if (!message) return out.concat([el('p', { className: 'muted', text: 'none' })]);
    if (message.method || message.url) out.push(el('p', { className: 'mono', text: (message.method || '') + ' ' + (message.url || '') }));
    out.push(el('pre', { className: 'headers', text: Object.keys(message.headers || {}).map(function (k) { return k + ': ' + message.headers[k]; }).join('\n') || '(no headers)' }));
    out.push(el('pre', { className: 'body ' + side + '-body', text: pretty(message.body) }));
    return out;
  }

  async function showDetail(id, quiet) {
    var d;
    try { d = await getJson(API + '/exchanges/' + encodeURIComponent(id)); } catch (e) { if (!quiet) showError(e.message); return; }
    state.selected = id;
    Array.prototype.forEach.call($('rows').children, function (tr) { tr.classList.toggle('selected', tr.dataset.id === id); });
    var x = d.exchange;
    var facts = [
      ['Exchange', x.id + ' (seq ' + d.row.seq + ')'], ['Started', x.startedAt], ['Direction', x.direction],
      ['Partner', x.partnerId || '–'], ['HTTP', d.row.httpStatus === null ? 'no answer' : d.row.httpStatus],
      ['StatusCode', x.statusCode || '–'], ['Duration', x.durationMs + ' ms'],
    ];
    var dl = el('dl', { className: 'facts' });
    facts.forEach(function (f) { dl.appendChild(el('dt', { text: f[0] })); dl.appendChild(el('dd', { text: f[1] })); });
    if (x.sessionId) {
      dl.appendChild(el('dt', { text: 'SessionID' }));
      dl.appendChild(el('dd', {}, [link(x.sessionId, function () { setSession(x.sessionId); }),
        d.session ? ' (' + d.session.origin + ', ' + d.session.status + ')' : '']));
    }
    if (d.cdr) {
      dl.appendChild(el('dt', { text: 'CDR' }));
      dl.appendChild(el('dd', { className: 'cdr-forward' }, [forwardBadge(d.cdr.forwardStatus), d.cdr.forwardInfo ? ' ' + d.cdr.forwardInfo : '']));
    }
    if (x.transportError) { dl.appendChild(el('dt', { text: 'Transport' })); dl.appendChild(el('dd', { text: x.transportError.code + ': ' + x.transportError.message })); }
    if (d.cause) { dl.appendChild(el('dt', { text: 'Caused by' })); dl.appendChild(el('dd', {}, [link(d.cause.operation + ' ' + d.cause.id, function () { showDetail(d.cause.id); })])); }
    d.legs.forEach(function (leg) {
      dl.appendChild(el('dt', { text: 'Forwarded leg' }));
      dl.appendChild(el('dd', {}, [link(leg.operation + ' ' + leg.id, function () { showDetail(leg.id); }), ' → ' + (leg.partnerId || '?') + ' ' + (leg.httpStatus === null ? 'no answer' : 'HTTP ' + leg.httpStatus)]));
    });
    var violations = el('ul', { className: 'violations' }, x.violations.map(function (v) {
      return el('li', {}, [v.side + ' ' + v.kind + ' ', el('code', { text: v.pointer || '/' }), ': ' + v.message]);
    }));
    var parts = [
      el('h2', {}, [el('span', { text: x.operation }), el('button', { type: 'button', id: 'detail-close', text: 'Close', onclick: closeDetail })]),
      dl, el('h3', { text: 'Violations (' + (x.violationTotal || x.violations.length) + ')' }),
      x.violations.length ? violations : el('p', { className: 'muted', text: 'none' }),
    ].concat(x.violationTotal > x.violations.length ? [el('p', { className: 'muted', text: 'the first ' + x.violations.length + ' are kept; ' + (x.violationTotal - x.violations.length) + ' more were found' })] : []).concat(section('Request', x.request, 'request'), section('Response', x.response, 'response'));
    $('detail').replaceChildren.apply($('detail'), parts);
    $('detail').hidden = false;
  }

  function closeDetail() {
    state.selected = null;
    $('detail').hidden = true;
    Array.prototype.forEach.call($('rows').querySelectorAll('tr.selected'), function (tr) { tr.classList.remove('selected'); });
  }

  function scheduleEvses() {
    if (evseTimer) return;
    evseTimer = setTimeout(function () { evseTimer = null; loadEvses(); }, 300);
  }

  async function loadEvses() {
    var v;
    try { v = await getJson(API + '/evses'); } catch (e) { return; }
    $('evse-count').textContent = '(' + v.total + ')';
    var out = v.operators.map(function (o) {
      var table = el('table', { className: 'evse-table' }, [el('tbody', {}, o.evses.map(function (e) {
        return el('tr', { 'data-evse': e.EvseID }, [
          el('td', { className: 'mono', text: e.EvseID, title: e.ChargingStationName || '' }),
          el('td', {}, [el('span', { className: 'st st-' + (e.EvseStatus || 'none'), text: e.EvseStatus || 'no status' })]),
          el('td', { className: 'muted', text: e.statusUpdatedAt ? timeOf(e.statusUpdatedAt) : (e.hasData ? 'data only' : '') }),
        ]);
      }))]);
      return el('div', {}, [el('h3', { text: o.OperatorID + (o.OperatorName ? ' · ' + o.OperatorName : '') + ' (' + o.evses.length + ')' }), table]);
    });
    if (!out.length) out = [el('p', { className: 'muted', text: 'No EVSE data or status yet.' })];
    $('evses').replaceChildren.apply($('evses'), out);
  }

  function renderTabs() {
    var nav = $('tabs');
    nav.replaceChildren.apply(nav, state.meta.categories.map(function (c) {
      return el('button', { type: 'button', role: 'tab', text: c.label, 'data-category': c.id, onclick: function () { state.category = c.id; state.operation = ''; apply(); } });
    }));
  }

  function syncControls() {
    Array.prototype.forEach.call($('tabs').children, function (b) { b.setAttribute('aria-selected', String(b.dataset.category === state.category)); });
    var cat = state.meta.categories.filter(function (c) { return c.id === state.category; })[0] || state.meta.categories[0];
    var select = $('operation');
    select.replaceChildren.apply(select, [el('option', { value: '', text: 'every operation' })].concat(cat.operations.map(function (op) { return el('option', { value: op, text: op }); })));
    FILTER_INPUTS.forEach(function (k) { $(k).value = state[k]; });
    $('violations').checked = state.violations;
    $('session-chip').hidden = !state.session;
    $('session-value').textContent = state.session;
  }

  function apply() {
    state.cursor = null;
    writeHash();
    syncControls();
    loadList();
  }

  function setSession(id) { state.session = id; state.category = 'sessions'; apply(); }

  function wire() {
    $('filters').addEventListener('submit', function (e) { e.preventDefault(); });
    ['direction', 'operation', 'forward'].forEach(function (k) {
      $(k).addEventListener('change', function () { state[k] = $(k).value; apply(); });
    });
    ['q', 'partner'].forEach(function (k) {
      $(k).addEventListener('input', function () {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(function () { state[k] = $(k).value.trim(); apply(); }, 250);
      });
    });
    $('violations').addEventListener('change', function () { state.violations = $('violations').checked; apply(); });
    $('limit').addEventListener('change', function () { state.limit = Number($('limit').value); apply(); });
    $('session-clear').addEventListener('click', function () { state.session = ''; apply(); });
    $('older').addEventListener('click', function () { state.cursor = { key: 'before', seq: state.page.older }; loadList(); });
    $('newer').addEventListener('click', function () {
      var first = $('rows').firstChild;
      state.cursor = first ? { key: 'after', seq: Number(first.dataset.seq) } : null;
      // The newest page is the live one: reload it without a cursor so new exchanges appear on it again.
      loadList().then(function () { if (state.cursor && state.page && state.page.newer === null) { state.cursor = null; loadList(); } });
    });
    $('new-rows').addEventListener('click', function () { state.cursor = null; loadList(); });
    $('rows').addEventListener('click', function (e) {
      var tr = e.target.closest('tr');
      if (tr) showDetail(tr.dataset.id);
    });
    $('rows').addEventListener('keydown', function (e) {
      var tr = e.target.closest('tr');
      if (tr && e.key === 'Enter') showDetail(tr.dataset.id);
    });
    window.addEventListener('hashchange', function () { readHash(); apply(); });
  }

  async function start() {
    readHash();
    wire();
    try { state.meta = await getJson(API + '/meta'); } catch (e) { showError(e.message); return; }
    renderTabs();
    syncControls();
    loadEvses();
    loadList();
  }

  start();
})();
`;
