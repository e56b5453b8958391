import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * Creates `dir` and its missing parents (an existing folder is fine), one level at a time. Node's recursive mkdir
 * never returns for a path under /proc or /sys (it keeps retrying what the kernel refuses there), and a CLI given
 * such a path by mistake must fail, not hang: creating each missing level alone fails at once with the real error
 * (ENOENT, EACCES, ENOTDIR). Synchronous: a few system calls, made when a run starts or ends, never per request.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    let isDirectory: boolean | undefined;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch (e) {
      if (codeOf(e) !== 'ENOENT') throw e;
    }
    if (isDirectory === true) break;
    if (isDirectory === false) {
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at });
    }
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (e) {
      if (codeOf(e) !== 'EEXIST') throw e;
    }
  }
}
