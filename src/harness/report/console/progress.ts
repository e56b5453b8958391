/**
 * What the scenario engine tells reporters while a run is under way. Typed events rather than an untyped emitter,
 * so a reporter cannot listen for an event that is never sent. The final Report travels with `runFinished`.
 */
import { messageOf } from '../../../shared/errors.js';
import type { ReporterFailure } from '../aggregate.js';
import type { Check, Outcome, Reason, Report, Section } from '../model.js';
import type { WrittenFile } from '../write.js';

export type ProgressEvent =
  | {
      type: 'runStarted';
      runId: string;
      at: string;
      partner: { id: string; role: 'CPO' | 'EMP' };
      /** Factor on protocol waits, stated before the first item so that nobody reads the figures without it. */
      timeScale: number;
      items: { id: string; title: string; section: Section; mandatory: boolean }[];
    }
  | { type: 'itemStarted'; itemId: string; title: string; at: string }
  /**
   * The harness waits for the partner (an answer, a CDR, a notification) until `deadline` (wall clock, ISO 8601,
   * already scaled). Send it again with the same `what` to refresh the time left.
   */
  | { type: 'waiting'; itemId: string; what: string; deadline: string }
  | { type: 'checkResult'; itemId: string; check: Check }
  /**
   * `headline`: why the item did not pass, in one line (its reason, else its first failed check), so a partner
   * watching the run learns what went wrong without opening a report file.
   */
  | { type: 'itemFinished'; itemId: string; outcome: Outcome; durationMs: number; reason?: Reason; headline?: string }
  /** After writeReport: the report, the files written and the reporters that failed. */
  | { type: 'runFinished'; report: Report; files: WrittenFile[]; failures: ReporterFailure[] };

export interface ProgressListener {
  name: string;
  onEvent(event: ProgressEvent): void;
}

/**
 * Sends every event to every listener; a listener that throws is dropped from then on and remembered, so one
 * broken reporter neither stops the run nor silences the others. Its failures turn the exit code into 3.
 */
export function multiplexProgress(listeners: readonly ProgressListener[]): {
  onEvent(event: ProgressEvent): void;
  failures(): ReporterFailure[];
} {
  const failures: ReporterFailure[] = [];
  const broken = new Set<string>();
  return {
    onEvent(event) {
      for (const listener of listeners) {
        if (broken.has(listener.name)) continue;
        try {
          listener.onEvent(event);
        } catch (e) {
          broken.add(listener.name);
          const message = messageOf(e);
          failures.push({ reporter: listener.name, code: 'REPORTER_FAILED', message: `on ${event.type}: ${message}` });
        }
      }
    },
    failures: () => [...failures],
  };
}
