import { readFileSync } from 'node:fs';

/**
 * User+system CPU milliseconds a bench server process has used so far (Linux /proc/<pid>/stat), NaN elsewhere: what
 * every bench divides by its requests for a server's own CPU per request.
 */
export function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A server's main-thread GC pauses so far, as its `gc` command answers (side/gc-pauses.mjs). */
export interface GcPauses {
  minorMs: number;
  majorMs: number;
  incrementalMs: number;
}

export const pauseMs = (g: GcPauses): number => g.minorMs + g.majorMs + g.incrementalMs;
