/**
 * The page's only stylesheet, inlined (the page must work from file:// and offline). Outcomes are never told by
 * colour alone: every badge carries its word. Print shows every item opened and hides the controls.
 */
export const STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --skip: #6e7781; --error: #9a6700; --fg: #1f2328; --muted: #59636e;
  --line: #d1d9e0; --bg-soft: #f6f8fa; --mark-fail: #ffd7d5; --mark-violation: #fff1b8; --mark-info: #ddf4ff;
  color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1rem; display: inline; margin: 0; }
h4 { font-size: .95rem; margin: .75rem 0 .25rem; }
h5 { font-size: .9rem; margin: .5rem 0; }
h6 { font-size: .85rem; margin: .25rem 0; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.json { background: var(--bg-soft); border: 1px solid var(--line); padding: .5rem; overflow-x: auto;
  white-space: pre-wrap; word-break: break-word; }
.muted { color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.verdict { border-left: 6px solid; padding: .5rem 1rem; margin: 1rem 0; background: var(--bg-soft); }
.verdict-passed { border-color: var(--pass); } .verdict-failed { border-color: var(--fail); }
.verdict-error { border-color: var(--error); }
.scale-banner { border-left: 6px solid var(--error); padding: .5rem 1rem; margin: 1rem 0; background: #fff8c5; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: .25rem 1rem; margin: .5rem 0; }
.facts dt { font-size: .75rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0; width: 100%; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
thead th, table.summary th { background: var(--bg-soft); }
td.num { text-align: right; white-space: nowrap; }
table.summary { width: auto; min-width: 24rem; }
.badge { display: inline-block; min-width: 4.6em; text-align: center; border-radius: 1em; padding: 0 .5em;
  font-size: .8rem; font-weight: 600; color: #fff; }
.badge-passed { background: var(--pass); } .badge-failed { background: var(--fail); }
.badge-skipped { background: var(--skip); } .badge-error { background: var(--error); }
.tag { font-size: .75rem; border: 1px solid var(--line); border-radius: .3em; padding: 0 .3em; color: var(--muted); }
.controls { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: .5rem 0;
  display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; z-index: 1; }
.controls fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: .25rem; align-items: center; }
.controls legend { float: left; margin-right: .4rem; font-weight: 600; }
.controls button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 1em; padding: .1rem .7rem;
  cursor: pointer; }
.controls button[aria-pressed="true"] { background: var(--fg); color: #fff; }
.controls input, .controls select { font: inherit; padding: .15rem .3rem; }
.item { border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: .3rem; margin: .5rem 0; }
.item-passed { border-left-color: var(--pass); } .item-failed { border-left-color: var(--fail); }
.item-error { border-left-color: var(--error); }
.item summary { cursor: pointer; padding: .4rem .6rem; display: flex; justify-content: space-between; gap: 1rem; }
.item-id { font-family: ui-monospace, monospace; font-weight: 700; }
.item-meta { white-space: nowrap; color: var(--muted); font-size: .85rem; }
.headline { margin: 0 .6rem .4rem; color: var(--muted); font-size: .9rem; }
.detail { padding: 0 .8rem .8rem; border-top: 1px solid var(--line); }
.steps { padding-left: 1.2rem; }
.check-failed td, .check-error td { background: #fff8f8; }
.check-message { color: var(--muted); font-size: .85rem; }
.exchange { border-top: 1px dashed var(--line); margin-top: .75rem; }
.messages { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
@media (max-width: 900px) { .messages { grid-template-columns: 1fr; } }
.transport-error { color: var(--error); }
.violations { font-size: .85rem; }
table.headers { font-size: .8rem; } table.headers caption { text-align: left; font-weight: 600; }
table.ocpp-frames { font-size: .85rem; } tr.frame-callerror, tr.frame-malformed { background: var(--mark-fail); }
mark.hl { border-radius: .2rem; outline: 2px solid transparent; color: inherit; }
mark.hl-fail { background: var(--mark-fail); outline-color: var(--fail); }
mark.hl-violation { background: var(--mark-violation); }
mark.hl-info { background: var(--mark-info); }
.hl-label { font-style: italic; font-size: .8rem; } .hl-label-fail { color: var(--fail); font-weight: 600; }
.j-k { color: #0550ae; } .j-s { color: #0a3069; } .j-n { color: #953800; } .j-b { color: #8250df; }
.empty-section { font-style: italic; }
footer { margin: 2rem auto; color: var(--muted); font-size: .85rem; }
@media print {
  .controls { display: none; }
  body { font-size: 11pt; }
  .item { break-inside: avoid-page; }
  details > summary { list-style: none; }
  details:not([open]) > .detail { display: block; }
  pre.json { white-space: pre-wrap; }
  .badge { color: #000; border: 1px solid #000; background: none; }
  mark.hl-fail { outline: 2px solid #000; }
}
`;
