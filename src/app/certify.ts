import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { World } from '../config/world/types.js';
import type { ReporterFailure } from '../harness/report/aggregate.js';
import type { ProgressEvent } from '../harness/report/console/progress.js';
import {
  buildReport,
  checklistItem,
  defaultOutDir,
  exitCodeFor,
  type ItemInput,
  type Report,
} from '../harness/report/index.js';
import { itemHeadline } from '../harness/report/render/text.js';
import type { ReporterName } from '../harness/report/reporters.js';
import type { WriteReportResult } from '../harness/report/write.js';
import { prepareReportDir, writeReport } from '../harness/report/write.js';
import { type EngineContext, runScenario } from '../harness/scenario/engine.js';
import { settleUnlessStopped } from '../harness/scenario/interrupt.js';
import type { Scenario } from '../harness/scenario/load.js';
import type { PartnerProfile } from '../harness/scenario/profile.js';
import { FrameLog } from '../ocpp/frames.js';
import { SERVICE_TYPES } from '../oicp/operations.js';
import { normalizePartnerId } from '../oicp/patterns.js';
import { ChargePointFleet } from '../partners/station/ocpp/fleet.js';
import type { Clock } from '../shared/clock.js';
import type { ExitCode } from '../shared/exit-codes.js';
import type { Logger } from '../shared/log.js';
import { toolVersion } from '../shared/paths.js';
import type { certPaths } from '../tls/load.js';
import { Evidence } from './evidence.js';
import { underTestCertPaths } from './partner-certs.js';
import { startSimulation } from './simulation.js';

/**
 * One certification run, as `hbs-sim run` and `hbs-sim demo` both do it: start the hub (with the system under test
 * in its world) and the virtual actors, run the scenarios in order, report progress, write the report. The
 * simulation is closed again whatever happens.
 */

export interface CertifyOptions {
  /** The world with the system under test in it (see worldWithPartner). */
  world: World;
  profile: PartnerProfile;
  scenarios: Scenario[];
  cwd: string;
  timeScale: number;
  /** One clock for the whole run when the partner under test runs in this process too (a reference run). */
  clock?: Clock;
  logger: Logger;
  progress: { onEvent(e: ProgressEvent): void; failures(): ReporterFailure[] };
  reporters?: readonly ReporterName[];
  /** Default reports/<run-id>. */
  outDir?: string;
  /** Where reports/latest goes; false for none (default: beside the run folder). */
  latest?: string | false;
  /**
   * Aborted on SIGINT/SIGTERM: the item under way ends at once, it and every item not reached are reported `error`
   * "interrupted", and the report is written (verdict error, exit 3), so a CI timeout never passes the gate.
   */
  signal?: AbortSignal;
  /** Real milliseconds each item may take; past it the item is an `error` ITEM_DEADLINE and the run goes on. */
  itemTimeoutMs?: number;
  /** Told once the hub listens: its URL and the certificate paths of the system under test. */
  onHub?: (hubUrl: string, paths: ReturnType<typeof certPaths>) => void;
  prompt?: EngineContext['prompt'];
  /**
   * Awaited once the hub and the virtual actors are up, before the run starts (`run`'s preflight): what it throws
   * ends the run there, before item 1 and with no report, the simulation closed.
   */
  beforeFirstItem?: () => Promise<void>;
  /** Awaited after the last item, before the hub closes (a partner in the same process finishing its sends). */
  beforeClose?: () => Promise<void>;
}

export interface Certification {
  report: Report;
  written: WriteReportResult;
  exitCode: ExitCode;
}

export async function certify(o: CertifyOptions): Promise<Certification> {
  const { profile, world } = o;
  // The folder the report goes to must be writable before the partner is sent anything.
  await prepareReportDir(o.outDir ?? resolve(o.cwd, 'reports'));
  const frames = profile.ocpp ? new FrameLog() : undefined;
  const sim = await startSimulation({
    world,
    cwd: o.cwd,
    timeScale: o.timeScale,
    logger: o.logger,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(frames ? { ocppFrames: frames } : {}),
  });
  let fleet: ChargePointFleet | undefined;
  try {
    await o.beforeFirstItem?.();
    const { hub, clock } = sim;
    if (profile.ocpp) {
      // The partner's charge points boot at its CSMS before item 1: a CSMS that refuses them is said once, here.
      fleet = new ChargePointFleet(profile.ocpp, { clock, logger: o.logger, frames: frames! });
      await fleet.connect();
    }
    const startedAt = clock.now();
    const runId = `${startedAt.toISOString().replace(/[-:]|\.\d+/g, '')}-${normalizePartnerId(profile.partner.id)}`;
    // The files `hbs-sim certs --partner` wrote before the run, if it was used: one function names them for both.
    const paths = underTestCertPaths(world, profile, o.cwd);
    o.onHub?.(hub.url, paths);
    o.progress.onEvent({
      type: 'runStarted',
      runId,
      at: startedAt.toISOString(),
      partner: { id: profile.partner.id, role: profile.partner.role },
      timeScale: o.timeScale,
      items: o.scenarios.map((s) => ({ id: s.id, title: s.title, section: s.section, mandatory: s.mandatory })),
    });
    const engine: EngineContext = {
      hub,
      actors: sim.actors!,
      profile,
      clock,
      onProgress: (e) => o.progress.onEvent(e),
      ...(world.hub.transport === 'mtls' ? { triggerCa: [readFileSync(paths.ca.cert, 'utf8')] } : {}),
      ...(o.prompt ? { prompt: o.prompt } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.itemTimeoutMs ? { itemDeadlineMs: o.itemTimeoutMs } : {}),
      blocked: [],
      ...(fleet ? { stationActions: fleet } : {}),
      ...(frames ? { ocppFrames: frames } : {}),
    };
    const items: ItemInput[] = [];
    const evidence = new Evidence(hub.recorder);
    for (const s of o.scenarios) {
      // runScenario reports an item the interruption did not let start as `error` without running it.
      const framesBefore = frames?.recordedCount() ?? 0;
      const item = await runScenario(s, engine);
      const itemFrames = frames?.all(framesBefore).map((f) => f.seq) ?? [];
      if (itemFrames.length > 0) item.ocppFrameSeqs = itemFrames;
      items.push(item);
      evidence.itemFinished(item);
      const single = checklistItem(item, evidence.known());
      o.progress.onEvent({
        type: 'itemFinished',
        itemId: s.id,
        outcome: single.outcome,
        durationMs: single.durationMs,
        ...(single.reason ? { reason: single.reason } : {}),
        ...(single.outcome === 'passed' ? {} : { headline: itemHeadline(single) }),
      });
    }
    // After an interruption the partner's last answers are not waited for long: the process has seconds to exit.
    await settleUnlessStopped(o.beforeClose?.() ?? Promise.resolve(), o.signal);
    await settleUnlessStopped(hub.idle(), o.signal);
    const settings = world.hub;
    const report = buildReport({
      tool: { name: 'hbs-simulator', version: toolVersion() },
      run: { id: runId, startedAt: startedAt.toISOString(), finishedAt: clock.now().toISOString() },
      partner: {
        id: profile.partner.id,
        role: profile.partner.role,
        name: profile.partner.name,
        subPartnerIds: profile.partner.subPartnerIds,
        endpoints: Object.entries(profile.partner.serviceTypes).flatMap(([name, st]) => [
          ...(st?.serviceUrl ? [{ name, url: st.serviceUrl }] : []),
          ...Object.entries(st?.operationUrls ?? {}).map(([op, url]) => ({ name: op, url: url! })),
        ]),
      },
      settings: {
        timeScale: o.timeScale,
        timeouts: settings.timeouts,
        transport: settings.transport,
        aupEnabled: settings.aup.enabled,
        hubUrl: hub.url,
      },
      items,
      exchanges: evidence.exchanges(),
      ...(frames ? { ocppFrames: frames.all() } : {}),
    });
    evidence.close();
    const written = await writeReport(report, {
      outDir: o.outDir ?? resolve(o.cwd, defaultOutDir(report)),
      ...(o.reporters ? { reporters: o.reporters } : {}),
      ...(o.latest !== undefined ? { latest: o.latest } : {}),
    });
    o.progress.onEvent({ type: 'runFinished', report, files: written.files, failures: written.failures });
    return { report, written, exitCode: exitCodeFor(report, [...written.failures, ...o.progress.failures()]) };
  } finally {
    await fleet?.close();
    await sim.close();
  }
}

/** The world with the system under test in it: it replaces a partner of the same ID and roams with the virtual actors. */
export function worldWithPartner(world: World, profile: PartnerProfile): World {
  const id = normalizePartnerId(profile.partner.id);
  const partners = world.partners.filter((p) => normalizePartnerId(p.id) !== id);
  const others = world.contracts.filter((c) => normalizePartnerId(c.cpo) !== id && normalizePartnerId(c.emp) !== id);
  const role = profile.partner.role;
  const counterparts = partners.filter((p) => p.role !== role);
  const contracts = counterparts.map((c) => ({
    cpo: role === 'CPO' ? profile.partner.id : c.id,
    emp: role === 'EMP' ? profile.partner.id : c.id,
    services: [...SERVICE_TYPES],
  }));
  return { ...world, partners: [...partners, profile.partner], contracts: [...others, ...contracts] };
}
