import { setFlagsFromString } from 'node:v8';

let applied = 0;

/**
 * Bounds how far V8 lets the old generation grow past the live heap before its next full collection, as V8's
 * --heap-growing-percent does. V8 reads that flag each time it sets the next limit, so setting it while running takes
 * effect from the next collection on (node:v8 setFlagsFromString); the heap's size limit, by contrast, is fixed at
 * start. Without it, V8 picks the factor from how fast it collects, up to four times the live heap when the heap limit
 * is large, and a long-running hub's RSS follows that sawtooth. 0 gives the choice back to V8. Process-wide.
 */
export function boundHeapGrowth(percent: number): void {
  if (percent === applied) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  applied = percent;
}
