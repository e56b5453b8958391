import type { ItemInput } from '../harness/report/build.js';
import type { Exchange } from '../shared/exchange.js';
import type { Recorder } from '../shared/recorder.js';

/**
 * The exchanges a run's items refer to, taken as they are recorded. The recorder keeps only the newest within its
 * bounds (hub.recorder in world.yaml), for the monitor of a long-running hub; a run's report must keep every item's
 * evidence however much traffic the item or later ones make.
 */
export class Evidence {
  private readonly kept = new Map<string, { seq: number; exchange: Exchange }>();
  private readonly referenced = new Set<string>();
  private readonly onExchange = (exchange: Exchange): void => {
    this.kept.set(exchange.id, { seq: this.recorder.recordedCount(), exchange });
  };

  constructor(private readonly recorder: Recorder) {
    recorder.on('exchange', this.onExchange);
  }

  /** Marks the item's exchanges as evidence, and lets go of what no finished item refers to. */
  itemFinished(item: ItemInput): void {
    for (const id of referencedIds(item)) this.referenced.add(id);
    for (const id of this.kept.keys()) if (!this.referenced.has(id)) this.kept.delete(id);
  }

  known(): ReadonlySet<string> {
    return new Set(this.kept.keys());
  }

  /** What was kept, in recording order. */
  exchanges(): Exchange[] {
    return [...this.kept.values()].sort((a, b) => a.seq - b.seq).map((k) => k.exchange);
  }

  close(): void {
    this.recorder.off('exchange', this.onExchange);
  }
}

function referencedIds(item: ItemInput): string[] {
  return [
    ...(item.exchangeIds ?? []),
    ...(item.steps ?? []).flatMap((s) => s.exchangeIds ?? []),
    ...(item.warnings ?? []).flatMap((w) => (w.exchangeId === undefined ? [] : [w.exchangeId])),
  ];
}
