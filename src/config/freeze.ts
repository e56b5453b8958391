/**
 * Recursive Object.freeze, as Fastify freezes its resolved options: the resolved World is shared by the hub, the
 * station and the runner, and none of them may change it behind the others' backs. Returns the same object.
 */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child, seen);
  return value;
}
