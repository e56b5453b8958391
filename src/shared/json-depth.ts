/**
 * How deep JSON may nest. The hub checks inbound bodies against it before parsing (src/oicp/limits.ts) and the
 * recorder checks every body it keeps, because JSON.stringify and every recursive walker (validators, the monitor's
 * search) exhaust the stack a few thousand levels down.
 */

/**
 * The deepest JSON nesting (objects and arrays, the root counting as 1) the hub accepts. The deepest OICP 2.3
 * messages nest 8 levels (PushEvseData's OpeningTimes periods, PushPricingProductData's ProductAvailabilityTimes
 * periods, PushAuthenticationData's LegacyHashData); 32 leaves room for unknown properties while keeping every body far from the
 * depth at which JSON.stringify and recursive walkers exhaust the stack (a few thousand levels).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests deeper than `max`, found by scanning bytes (strings skipped) without parsing, so a body of
 * a few kilobytes and thousands of levels costs one pass and no allocation. UTF-8 continuation bytes never equal an
 * ASCII bracket or quote, so scanning bytes is exact for any text.
 */
export function jsonTooDeep(text: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Whether a value nests deeper than `max` (root = 1), walked without recursion so any depth is safe to ask about. */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Two parallel stacks and no Object.values: the recorder asks this of every body it keeps, so a pair and an array
  // of values per object were most of its garbage.
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const v = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return true;
    if (Array.isArray(v)) {
      for (const child of v) {
        if (typeof child === 'object' && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      const child = (v as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
