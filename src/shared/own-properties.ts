/**
 * A shallow copy of an object's own enumerable properties, each value passed through `map`, in the source's key order.
 * Property by property rather than by spread, for copies made in bulk (a spread that is then extended builds a far
 * larger object); a "__proto__" key that came in JSON stays an own key of the copy instead of setting its prototype.
 */
export function copyOwnProperties(
  source: Readonly<Record<string, unknown>>,
  map: (value: unknown) => unknown = (value) => value,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in source) {
    if (Object.hasOwn(source, key)) setOwn(copy, key, map(source[key]));
  }
  return copy;
}

/**
 * What `{ ...source, ...extra }` gives (same keys, same order, `extra` winning), built key by key. In Node 20's V8 an
 * object literal that starts with a spread and goes on gets a hidden class of its own every time: about 7× slower to
 * build (0.73 against 0.10 µs for a remote start body), every later reader of it (validation, JSON.stringify, the
 * recorder, the monitor) misses its inline caches, and a kept object keeps its own class alive. Per-request and
 * per-record objects are built with this instead; cold code may spread as it likes.
 */
export function copyWith<T extends object, E extends object>(source: T, extra: E): Omit<T, keyof E> & E {
  const copy = copyOwnProperties(source as Readonly<Record<string, unknown>>);
  for (const key in extra) {
    if (Object.hasOwn(extra, key)) setOwn(copy, key, (extra as Record<string, unknown>)[key]);
  }
  return copy as Omit<T, keyof E> & E;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
