/**
 * The OCPP frames of one item, in the detail view beside its OICP exchanges: when, which charge point, which way,
 * the OCPP-J message type and action, and the payload (a CALLERROR's code and description, a malformed frame's text).
 */
import type { ReportOcppFrame } from '../../model.js';
import { esc } from './escape.js';
import { renderJsonHtml } from './json-view.js';

function content(f: ReportOcppFrame): string {
  if (f.type === 'MALFORMED') return `<code>${esc(f.text ?? '')}</code>`;
  const error =
    f.type === 'CALLERROR' ? `<p><code>${esc(f.errorCode ?? '')}</code> ${esc(f.errorDescription ?? '')}</p>` : '';
  return `${error}${f.payload === undefined ? '' : renderJsonHtml(f.payload)}`;
}

export function renderOcppFrames(frames: readonly ReportOcppFrame[]): string {
  if (frames.length === 0) return '';
  const rows = frames
    .map(
      (f) =>
        `<tr class="frame frame-${f.type.toLowerCase()}"><td><time datetime="${esc(f.at)}">${esc(f.at.slice(11, 23))}</time></td>` +
        `<td>${esc(f.chargePointId)}</td><td>${f.direction === 'cp→csms' ? 'charge point → CSMS' : 'CSMS → charge point'}</td>` +
        `<td>${esc(f.type)}</td><td>${esc(f.action ?? '')}</td><td>${content(f)}</td></tr>`,
    )
    .join('');
  return (
    '<h4>OCPP frames</h4><table class="ocpp-frames"><caption class="sr-only">OCPP frames of this item</caption>' +
    '<thead><tr><th scope="col">Time</th><th scope="col">Charge point</th><th scope="col">Direction</th>' +
    `<th scope="col">Type</th><th scope="col">Action</th><th scope="col">Payload</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}
