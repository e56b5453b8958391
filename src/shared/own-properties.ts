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
    if (!Object.hasOwn(source, key)) continue;
    const value = map(source[key]);
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    else copy[key] = value;
  }
  return copy;
}
