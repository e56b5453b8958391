/** The final table: plain columns padded before colouring, so alignment survives ANSI codes. */
import type { ChecklistItem } from '../model.js';
import { describeWarning, itemHeadline, showDuration } from '../render/text.js';
import { SECTION_TITLES } from '../sections.js';
import type { Paint } from './colors.js';

const NOTE_MAX = 70;

/**
 * A note cut to `max` characters at a word boundary, with an ellipsis: half a word reads as another word ("StatusCo…",
 * "the backe…") and sends the reader to the report for what the table could have said. A single word longer than
 * half the column (a URL, a JSON pointer) is cut where it must be.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const atBoundary = /\s/.test(text[max - 1] ?? '');
  const space = room.lastIndexOf(' ');
  const head = atBoundary ? room : space >= max / 2 ? room.slice(0, space) : room;
  return `${head.trimEnd()}…`;
}

/** A passed item's note: its warnings, which never change the outcome but must not go unseen. */
function warningNote(i: ChecklistItem): string {
  const n = i.warnings?.length ?? 0;
  return n === 0 ? '' : `${n} warning${n === 1 ? '' : 's'}: ${describeWarning(i.warnings![0]!)}`;
}

export function itemTable(items: readonly ChecklistItem[], paint: Paint): string[] {
  const rows = items.map((i) => ({
    cells: [
      i.id,
      // Short section names keep the table within a terminal's width.
      SECTION_TITLES[i.section].replace(/^eRoaming/, '').replace(/ \(.*\)$/, ''),
      i.mandatory ? 'M' : 'O',
      i.outcome.toUpperCase(),
      showDuration(i.durationMs),
      clip((itemHeadline(i) || warningNote(i)).replace(/\s+/g, ' '), NOTE_MAX),
    ],
    outcome: i.outcome,
  }));
  const header = ['ID', 'Section', 'M/O', 'Outcome', 'Time', 'Note'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r.cells[c] ?? '').length)));
  const line = (cells: readonly string[]): string[] => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0));
  return [
    paint.bold(line(header).join('  ').trimEnd()),
    ...rows.map((r) => {
      const cells = line(r.cells);
      cells[3] = paint.outcome(r.outcome, cells[3] ?? '');
      return cells.join('  ').trimEnd();
    }),
  ];
}
