import { OCPP_TAB, OCPP_VIEW } from './page-ocpp.js';
import { pageScript } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/**
 * The monitor page: one HTML document with its style and script inline (no CDN, no framework), which reads
 * everything through the JSON API. The empty inline icon keeps browsers from asking the hub for /favicon.ico, which
 * the OICP pipeline would record as an unmatched exchange. The nonce ties the inline blocks to a strict Content-Security-Policy, so even a
 * recorded body that slipped past escaping could not run script.
 */
export function renderPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HBS process monitor · hbs-sim</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body>
<header class="top">
  <h1>HBS process monitor</h1>
  <span id="conn" class="conn" data-state="connecting">connecting…</span>
  <span id="counts" class="muted"></span>
</header>
<nav class="tabs" role="tablist" aria-label="Views">
  <span id="tabs" class="tab-group" role="none"></span>
  ${OCPP_TAB}
</nav>
<div id="exchanges-view" class="layout">
  <main>
    <form id="filters" class="filters" autocomplete="off">
      <input type="search" id="q" placeholder="Search EvseID, SessionID, text in bodies…" aria-label="Search">
      <select id="direction" aria-label="Direction">
        <option value="">both directions</option>
        <option value="in">partner → hub</option>
        <option value="out">hub → partner</option>
      </select>
      <select id="operation" aria-label="Operation"><option value="">every operation</option></select>
      <input id="partner" placeholder="Partner ID" aria-label="Partner" size="10">
      <select id="forward" aria-label="CDR forward status">
        <option value="">any forward status</option>
        <option value="FORWARDED">FORWARDED</option>
        <option value="NOT_FORWARDED">NOT_FORWARDED</option>
        <option value="PENDING">PENDING</option>
      </select>
      <label><input type="checkbox" id="violations"> with violations</label>
      <span id="session-chip" class="chip" hidden>Session <code id="session-value"></code><button type="button" id="session-clear" aria-label="Clear session filter">×</button></span>
      <select id="limit" aria-label="Rows per page">
        <option value="50">50 / page</option>
        <option value="100" selected>100 / page</option>
        <option value="500">500 / page</option>
      </select>
      <a id="csv" class="button" href="/monitor/api/exchanges.csv" download>Export CSV</a>
    </form>
    <div id="error" class="error-banner" role="alert" hidden></div>
    <div class="listbar">
      <span id="summary" class="muted"></span>
      <button type="button" id="new-rows" hidden></button>
      <span class="pager">
        <button type="button" id="newer" disabled>← Newer</button>
        <button type="button" id="older" disabled>Older →</button>
      </span>
    </div>
    <table id="list">
      <thead><tr>
        <th>Time</th><th>Direction</th><th>Partner</th><th>Operation</th><th>HTTP</th><th>StatusCode</th>
        <th class="num">Duration</th><th>Violations</th><th>SessionID</th>
      </tr></thead>
      <tbody id="rows"></tbody>
    </table>
    <p id="empty" class="muted" hidden>No exchange matches.</p>
  </main>
  <aside>
    <section id="detail" aria-label="Exchange detail" hidden></section>
    <section id="evse-panel" aria-label="EVSE state">
      <h2>EVSE state <span id="evse-count" class="muted"></span></h2>
      <p class="muted">EVSE status as the hub holds it: what the virtual stations and CPOs last pushed.</p>
      <div id="evses"></div>
    </section>
  </aside>
</div>
${OCPP_VIEW}
<script nonce="${nonce}">${pageScript()}</script>
</body>
</html>
`;
}

/** Inline blocks run only with the page's nonce; the page talks to its own origin and nothing else. */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
