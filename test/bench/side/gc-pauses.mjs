// Main-thread GC pauses of the process that imports it, by kind, summed since start (perf_hooks 'gc' entries). Marking
// on V8's helper threads is not a pause and is not in here; it shows in the process's CPU time instead. Shared by the
// bench's hub and bare servers, so that the two are counted the same way.
import { PerformanceObserver, constants } from 'node:perf_hooks';

const totals = { minorMs: 0, majorMs: 0, incrementalMs: 0, minor: 0, major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      totals.minorMs += entry.duration;
      totals.minor++;
    } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      totals.majorMs += entry.duration;
      totals.major++;
    } else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) {
      totals.incrementalMs += entry.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });

/** A copy of the totals so far (entries arrive a tick after the pause, so the last one may be missing). */
export const gcPauses = () => ({ ...totals });

/**
 * The GC commands both bench servers answer on stdin, the same way: `gc`, the pauses so far; `settle`, a full GC
 * (the server runs with --expose-gc) for the bench to make outside any timed window. Undefined for another command.
 */
export function gcCommand(command) {
  if (command === 'gc') return gcPauses();
  if (command === 'settle') {
    global.gc?.();
    return {};
  }
  return undefined;
}
