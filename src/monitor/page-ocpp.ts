/**
 * The OCPP tab's part of the monitor page (its script is src/monitor/browser/ocpp.ts): the frames of the run's charge
 * points, or, where this process runs none, a plain note of when there are some.
 */
export const OCPP_TAB = `<button type="button" role="tab" id="ocpp-tab" aria-selected="false" aria-controls="ocpp-view" title="OCPP 1.6-J frames between the run's charge points and the CSMS">OCPP</button>`;

export const OCPP_VIEW = `<div id="ocpp-view" class="layout" role="tabpanel" aria-labelledby="ocpp-tab" hidden>
  <main>
    <div id="ocpp-error" class="error-banner" role="alert" hidden></div>
    <p id="ocpp-none" class="notice" hidden>No OCPP charge points in this process. They run during
      <code>hbs-sim run</code> (and <code>hbs-sim demo --role cpo --ocpp</code>) when the CPO profile has an
      <code>ocpp:</code> block; every frame they exchange with the CSMS then shows here as it crosses.</p>
    <div id="ocpp-frames" hidden>
      <div class="listbar">
        <span id="ocpp-summary" class="muted"></span>
        <span id="ocpp-conn" class="conn" data-state="connecting">connecting…</span>
        <button type="button" id="ocpp-new" hidden></button>
        <span class="pager">
          <button type="button" id="ocpp-newer" disabled>← Newer</button>
          <button type="button" id="ocpp-older" disabled>Older →</button>
        </span>
      </div>
      <table id="ocpp-list">
        <thead><tr>
          <th>Time</th><th>Charge point</th><th>Direction</th><th>Type</th><th>Action</th><th>Message ID</th>
          <th>Payload / error</th>
        </tr></thead>
        <tbody id="ocpp-rows"></tbody>
      </table>
      <p id="ocpp-empty" class="muted" hidden>No OCPP frame yet: the charge points' frames show here as they cross.</p>
    </div>
  </main>
  <aside>
    <section id="ocpp-detail" aria-label="OCPP frame detail" hidden></section>
  </aside>
</div>`;
