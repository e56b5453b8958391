/**
 * Items in no particular order, each added with a function that takes it out again in O(1): for bookkeeping that takes
 * an item in and out per request (requests in flight, background tasks).
 *
 * Not a Set, because of what V8 (Node 20) does with a Set that churns: after some dozens of adds and deletes it moves
 * the entries to a new table, and the replaced one keeps its entries and a link to its successor (so that a live
 * iterator can follow). A young-generation GC takes whatever an old-generation object points to as alive, dead or not.
 * Once the tables are old (a long-lived Set's first ones are), each replaced table keeps the items it listed, and the
 * tables after it, alive until the next full GC: every scavenge copies them and the second promotes them. For the
 * hub's ~32 requests in flight that promoted nearly every forwarded ClientRequest with everything it referenced: some
 * 3.5 KB per forward, scavenges twice as long and more full GCs (README, "Performance").
 *
 * Here an item's removal moves the last item into its place: array slots are overwritten or emptied, and the backing
 * store only changes when the count outgrows it.
 */
export class SwapRemoveList<T> {
  private readonly entries: Array<Entry<T>> = [];

  /** Adds `item`; the function returned removes it (again: nothing). */
  add(item: T): () => void {
    const entry: Entry<T> = { item, index: this.entries.length };
    this.entries.push(entry);
    return () => this.remove(entry);
  }

  get size(): number {
    return this.entries.length;
  }

  /** A copy of the items: removing while walking it is safe. */
  values(): T[] {
    return this.entries.map((e) => e.item);
  }

  private remove(entry: Entry<T>): void {
    if (entry.index < 0) return;
    const last = this.entries.pop()!;
    if (last !== entry) {
      this.entries[entry.index] = last;
      last.index = entry.index;
    }
    entry.index = -1;
  }
}

interface Entry<T> {
  item: T;
  /** Where it is in `entries`; -1 once removed. */
  index: number;
}
