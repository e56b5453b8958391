import type { Exchange } from '../shared/exchange.js';
import type { Recorder } from '../shared/recorder.js';
import { matcher } from './match.js';
import type { ExchangeFilter, PageRequest } from './query.js';
import { type CdrLookup, type MonitorRow, newestSeq, seqAt, toRow } from './rows.js';

/** One page of the filtered list, newest first, with the cursors to move from it. */
/** One page of what the monitor lists by sequence number (exchanges, OCPP frames), newest first. */
export interface SeqPage<Row> {
  items: Row[];
  /** Entries matching the filter, over everything still in memory. */
  total: number;
  /** Pass as `before` for the next older page; null on the oldest page. */
  older: number | null;
  /** Pass as `after` for the next newer page; null on the newest page. */
  newer: number | null;
  /** The newest seq recorded (matching or not): where a live stream should resume. */
  newestSeq: number;
  /** Entries in memory, and how many fell out of it (still in the JSONL transcript). */
  recorded: number;
  dropped: number;
}

export type ExchangePage = SeqPage<MonitorRow>;

/** Every matching exchange with its seq, newest first. */
export function matching(
  recorder: Recorder,
  filter: ExchangeFilter,
  cdrOf: CdrLookup,
): Array<{ exchange: Exchange; seq: number }> {
  const all = recorder.all();
  const keep = matcher(filter, cdrOf);
  const out: Array<{ exchange: Exchange; seq: number }> = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const x = all[i]!;
    if (keep(x)) out.push({ exchange: x, seq: seqAt(recorder, i) });
  }
  return out;
}

/**
 * Seq cursors instead of offsets: new exchanges arrive at the top all the time, and an offset would shift the page
 * under the reader's eyes.
 */
export function listExchanges(
  recorder: Recorder,
  filter: ExchangeFilter,
  page: PageRequest,
  cdrOf: CdrLookup,
): ExchangePage {
  const found = matching(recorder, filter, cdrOf);
  let start = 0;
  if (page.before !== undefined) {
    const before = page.before;
    start = firstIndex(found, (m) => m.seq < before);
  } else if (page.after !== undefined) {
    const after = page.after;
    start = Math.max(0, firstIndex(found, (m) => m.seq <= after) - page.limit);
  }
  const slice = found.slice(start, start + page.limit);
  const end = start + slice.length;
  return {
    items: slice.map((m) => toRow(m.exchange, m.seq, cdrOf)),
    total: found.length,
    older: end < found.length && slice.length > 0 ? slice.at(-1)!.seq : null,
    newer: start > 0 && slice.length > 0 ? slice[0]!.seq : null,
    newestSeq: newestSeq(recorder),
    recorded: recorder.size(),
    dropped: recorder.droppedCount(),
  };
}

/** Binary search over a list sorted by descending seq: the first index where `pred` holds (pred is monotone). */
function firstIndex<T>(list: T[], pred: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
