/**
 * The console reporter: progress per checklist item, what the harness is waiting for and the time left, then a
 * final table, the verdict with its exit code, the quality figures and the paths of the written files. Writes to
 * the stream it is given (stdout for `hbs-sim run`); logs stay on stderr.
 */
import { exitCodeFor } from '../aggregate.js';
import type { Check, QualityFigure } from '../model.js';
import { VERDICT_TEXT } from '../render/markdown.js';
import { describeCheck, describeWarning, showDuration } from '../render/text.js';
import { timeScaleStatement } from '../time-scale.js';
import { type Paint, paintFor, usesColor } from './colors.js';
import type { ProgressEvent, ProgressListener } from './progress.js';
import { itemTable } from './table.js';

export interface ConsoleReporterOptions {
  stream: { write(chunk: string): unknown; isTTY?: boolean };
  /** For NO_COLOR; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Colours regardless of the stream (default: the stream is a TTY and NO_COLOR is unset). A stream held back to
   * be printed later is no TTY (nothing can be redrawn in it) but ends on the user's terminal all the same.
   */
  color?: boolean;
  /** Wall clock for "time left"; defaults to the system clock. */
  now?: () => Date;
}

const MARK: Readonly<Record<Check['outcome'], string>> = { passed: '✓', failed: '✗', skipped: '-', error: '!' };
/** Without a TTY a waiting line cannot be redrawn: print it again only this often, not on every refresh. */
const REPEAT_WAITING_MS = 10_000;

function qualityLine(f: QualityFigure): string {
  const show = (n: number | undefined): string => (n === undefined ? '–' : f.unit === '%' ? `${n} %` : showDuration(n));
  const limit =
    f.limit === undefined
      ? ''
      : ` (limit ${show(f.limit)}${f.bestPractice === undefined ? '' : `, best practice ${show(f.bestPractice)}`})`;
  const value = f.unit === '%' ? show(f.value) : `${show(f.value)} worst`;
  return `  ${f.title}: ${f.rating === 'notMeasured' ? 'not measured' : `${value}, ${f.rating}`}${limit}`;
}

export function createConsoleReporter(options: ConsoleReporterOptions): ProgressListener {
  const { stream } = options;
  const now = options.now ?? (() => new Date());
  const tty = stream.isTTY === true;
  const paint: Paint = paintFor(options.color ?? usesColor(stream, options.env ?? process.env));
  let pendingRedraw = false;
  let lastWaiting: { what: string; printedAt: number } | undefined;

  const write = (line: string): void => {
    // On a TTY the last waiting line is redrawn in place; anything else first clears it.
    stream.write(`${pendingRedraw ? '\r\u001b[2K' : ''}${line}\n`);
    pendingRedraw = false;
  };

  const waiting = (what: string, deadline: string): void => {
    const at = now().getTime();
    const leftMs = Math.max(0, Date.parse(deadline) - at);
    const text = paint.dim(`  … waiting for ${what} (${Math.ceil(leftMs / 1000)} s left)`);
    if (tty) {
      stream.write(`${pendingRedraw ? '\r\u001b[2K' : ''}${text}`);
      pendingRedraw = true;
    } else if (lastWaiting?.what !== what || at - lastWaiting.printedAt >= REPEAT_WAITING_MS) {
      write(text);
    } else return;
    lastWaiting = { what, printedAt: at };
  };

  const finished = (event: Extract<ProgressEvent, { type: 'runFinished' }>): void => {
    const { report, files, failures } = event;
    const s = report.summary;
    write('');
    for (const line of itemTable(report.items, paint)) write(line);
    write('');
    const warned = report.items.filter((i) => i.warnings?.length);
    if (warned.length > 0) {
      write(paint.bold('Warnings (SHOULDs not followed; they do not fail an item):'));
      for (const i of warned) for (const w of i.warnings ?? []) write(`  ${i.id}: ${describeWarning(w)}`);
      write('');
    }
    const counts = `${s.counts.passed} passed, ${s.counts.failed} failed, ${s.counts.skipped} skipped, ${s.counts.error} error`;
    write(
      `${paint.bold(`Verdict: ${paint.outcome(s.verdict, s.verdict.toUpperCase())}`)}: ${VERDICT_TEXT[s.verdict]} (${counts}; exit code ${exitCodeFor(report, failures)})`,
    );
    // Said again next to the figures: a CI log is often read from its end.
    const scale = timeScaleStatement(report.settings.timeScale);
    write(scale.representative ? scale.note : paint.outcome('error', scale.note));
    write('Quality figures:');
    for (const f of report.quality) write(qualityLine(f));
    if (files.length > 0) write('Written:');
    for (const f of files) write(`  ${f.path}`);
    for (const f of failures) write(paint.outcome('error', `Reporter ${f.reporter} failed (${f.code}): ${f.message}`));
  };

  return {
    name: 'console',
    onEvent(event) {
      switch (event.type) {
        case 'runStarted': {
          const scale = timeScaleStatement(event.timeScale);
          write(
            paint.bold(
              `hbs-sim run ${event.runId}: ${event.partner.id} (${event.partner.role}), ${event.items.length} checklist items, time scale ${scale.label}`,
            ),
          );
          if (!scale.representative) write(paint.outcome('error', scale.note));
          return;
        }
        case 'itemStarted':
          lastWaiting = undefined;
          write(`▶ ${paint.bold(event.itemId)} ${event.title}`);
          return;
        case 'waiting':
          waiting(event.what, event.deadline);
          return;
        case 'checkResult':
          write(`  ${paint.outcome(event.check.outcome, MARK[event.check.outcome])} ${describeCheck(event.check)}`);
          return;
        case 'itemFinished': {
          const why = event.headline || event.reason?.message;
          const reason = why ? `: ${why}` : '';
          write(
            `${paint.outcome(event.outcome, `${MARK[event.outcome]} ${event.outcome.toUpperCase()}`)} ${event.itemId} (${showDuration(event.durationMs)})${reason}`,
          );
          return;
        }
        case 'runFinished':
          finished(event);
      }
    },
  };
}
