/** The monitor page's stylesheet: system fonts, no external assets, colours only where they carry meaning. */
export const PAGE_STYLE = `
:root { --fg: #1d232b; --muted: #6b7380; --line: #dde1e6; --bg: #f6f7f9; --accent: #0b5cad; --bad: #b42318; --warn: #a15c00; --ok: #1a7f37; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
header.top { display: flex; align-items: baseline; gap: 16px; padding: 10px 16px; background: #fff; border-bottom: 1px solid var(--line); }
header.top h1 { font-size: 16px; margin: 0; }
.muted { color: var(--muted); }
.conn { padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #eee; }
.conn[data-state="live"] { background: #dafbe1; color: var(--ok); }
.conn[data-state="reconnecting"], .conn[data-state="closed"] { background: #ffebe9; color: var(--bad); }
.tabs { display: flex; flex-wrap: wrap; gap: 2px; padding: 6px 16px 0; background: #fff; border-bottom: 1px solid var(--line); }
.tabs button { border: 0; background: none; padding: 6px 10px; cursor: pointer; border-bottom: 2px solid transparent; font: inherit; color: var(--muted); }
.tabs button[aria-selected="true"] { color: var(--fg); border-bottom-color: var(--accent); font-weight: 600; }
.tab-group { display: contents; }
#ocpp-tab { margin-left: 8px; border-left: 1px solid var(--line); }
.notice { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
td.payload { max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
.badge.type-CALLRESULT { background: #dafbe1; color: var(--ok); }
.badge.type-CALLERROR, .badge.type-MALFORMED { background: #ffebe9; color: var(--bad); }
tbody tr.frame-CALLERROR td.payload, tbody tr.frame-MALFORMED td.payload { color: var(--bad); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 440px; gap: 12px; padding: 12px 16px; align-items: start; }
.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 8px; }
.filters input[type="search"] { flex: 1 1 240px; }
input, select, button, .button { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--fg); }
button, .button { cursor: pointer; text-decoration: none; }
button:disabled { opacity: .45; cursor: default; }
.chip { background: #e7f0fb; border-radius: 10px; padding: 2px 4px 2px 8px; }
.chip button { border: 0; background: none; padding: 0 4px; }
.listbar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
.listbar .pager { margin-left: auto; display: flex; gap: 4px; }
#new-rows { background: #e7f0fb; border-color: #b6d0f0; }
.error-banner { background: #ffebe9; color: var(--bad); border: 1px solid #ffc1ba; padding: 6px 10px; border-radius: 4px; margin-bottom: 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { position: sticky; top: 0; background: #eef0f3; font-weight: 600; z-index: 1; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f0f5fc; }
tbody tr.selected { background: #dbe9fa; }
tbody tr.failed td.http, tbody tr.failed td.status { color: var(--bad); font-weight: 600; }
tbody tr.negative td.status { color: var(--warn); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11px; font-weight: 600; margin-left: 4px; background: #eef0f3; }
.badge.viol { background: #ffebe9; color: var(--bad); margin-left: 0; }
.badge.viol.soft { background: #fff4e5; color: var(--warn); }
.badge.fwd-FORWARDED { background: #dafbe1; color: var(--ok); }
.badge.fwd-NOT_FORWARDED { background: #ffebe9; color: var(--bad); }
.badge.fwd-PENDING { background: #fff4e5; color: var(--warn); }
aside section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; }
aside h2 { font-size: 14px; margin: 0 0 8px; display: flex; justify-content: space-between; align-items: center; }
aside h3 { font-size: 13px; margin: 12px 0 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; margin: 4px 0 8px; overflow: auto; max-height: 360px; white-space: pre-wrap; overflow-wrap: anywhere; }
ul.violations { margin: 0; padding-left: 18px; }
ul.violations li { margin-bottom: 3px; }
a.link, button.link { color: var(--accent); background: none; border: 0; padding: 0; text-decoration: underline; cursor: pointer; text-align: left; }
.evse-table td { padding: 2px 6px; }
.st { display: inline-block; min-width: 82px; text-align: center; padding: 0 6px; border-radius: 9px; font-size: 11px; font-weight: 600; background: #eef0f3; }
.st-Available { background: #dafbe1; color: var(--ok); }
.st-Occupied, .st-Reserved { background: #e7f0fb; color: var(--accent); }
.st-OutOfService, .st-EvseNotFound { background: #ffebe9; color: var(--bad); }
@media (max-width: 1100px) { .layout { grid-template-columns: 1fr; } }
`;
