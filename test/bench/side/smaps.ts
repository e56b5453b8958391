import { readFileSync } from 'node:fs';

/**
 * Where a process's resident memory sits, from /proc/<pid>/smaps: V8's regular heap pages (anonymous 256 KiB
 * mappings), the C allocator's main heap ([heap]) and its thread arenas (anonymous mappings starting on a 64 MiB
 * boundary), other anonymous memory (V8's large objects and code, the allocator's mmapped chunks, thread stacks) and
 * file mappings (the node binary, libraries). Linux only; undefined where smaps cannot be read.
 */
export function residentByKind(pid: number): Record<string, number> | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return undefined;
  }
  const kib: Record<string, number> = { v8Pages: 0, mallocHeap: 0, mallocArenas: 0, otherAnon: 0, files: 0 };
  let kind = 'otherAnon';
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const start = BigInt(`0x${head[1]}`);
      const size = BigInt(`0x${head[2]}`) - start;
      const name = head[3]!;
      if (name === '[heap]') kind = 'mallocHeap';
      else if (name.startsWith('/')) kind = 'files';
      else if (name !== '') kind = 'otherAnon';
      else if (size === 256n * 1024n) kind = 'v8Pages';
      else if (start % (64n * 1024n * 1024n) === 0n) kind = 'mallocArenas';
      else kind = 'otherAnon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) kib[kind]! += Number(rss[1]);
  }
  return Object.fromEntries(Object.entries(kib).map(([k, v]) => [k, Math.round(v / 1024)]));
}

/** The same as one line: "V8 pages 354, malloc heap 56, … MiB". */
export function residentLine(pid: number): string {
  const r = residentByKind(pid);
  if (!r) return 'smaps not readable';
  return `resident MiB: V8 pages ${r.v8Pages}, malloc heap ${r.mallocHeap}, malloc arenas ${r.mallocArenas}, other anonymous ${r.otherAnon}, files ${r.files}`;
}
