/**
 * Answers worked out once per key, for keys that repeat on a hot path (a partner's URL, a JSON pointer) but come from
 * data, so their number has no bound of its own: past `max` keys the memo starts again, which costs one recomputation
 * per key and never grows memory. A `compute` that throws keeps nothing.
 */
export class BoundedMemo<K, V> {
  private readonly known = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K, compute: (key: K) => V): V {
    const hit = this.known.get(key);
    if (hit !== undefined || this.known.has(key)) return hit as V;
    const value = compute(key);
    if (this.known.size >= this.max) this.known.clear();
    this.known.set(key, value);
    return value;
  }
}
