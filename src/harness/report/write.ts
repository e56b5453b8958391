/**
 * Writes a report's files into its run folder, each reporter on its own: one that throws is caught and reported by
 * name while the others are still written (a crashing HTML renderer must not lose report.json). Then points
 * `latest` beside the run folder at it.
 */
import { constants } from 'node:fs';
import { access, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { messageOf, UsageError } from '../../shared/errors.js';
import { makeDirs } from '../../shared/fs.js';
import type { ReporterFailure } from './aggregate.js';
import type { Report } from './model.js';
import { FILE_REPORTERS, type FileReporter, REPORTER_NAMES, type ReporterName } from './reporters.js';

export interface WriteReportOptions {
  /** The run folder; `defaultOutDir(report)` is `reports/<run-id>`. */
  outDir: string;
  /** Which files to write; all four by default. Custom reporters are for tests and extensions. */
  reporters?: readonly (ReporterName | FileReporter)[];
  /** Where the pointer to the newest run goes; default `<parent of outDir>/latest`; `false` for none. */
  latest?: string | false;
}

export interface WrittenFile {
  reporter: string;
  path: string;
}

export interface WriteReportResult {
  outDir: string;
  files: WrittenFile[];
  failures: ReporterFailure[];
  /** `symlink` normally; `file` (a text file holding the run folder's path) where symlinks are not allowed. */
  latest?: { path: string; kind: 'symlink' | 'file' };
  /** Problems that lose no report content (e.g. `latest` could not be updated). */
  warnings: string[];
}

/** A run ID as a single safe folder name: no separators, no `..`, nothing a shell would trip over. */
export function runFolderName(runId: string): string {
  const safe = runId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? '_' : safe;
}

/**
 * Makes the report folder when a run starts and checks it can be written, so a wrong --out (a file, a folder of
 * someone else's, a path under /proc) stops the run before any traffic instead of losing the report after it.
 */
export async function prepareReportDir(dir: string): Promise<void> {
  try {
    makeDirs(dir);
    await access(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(`the report folder ${dir} cannot be written: ${messageOf(e)}; choose another with --out`);
  }
}

export function defaultOutDir(report: Pick<Report, 'run'>, reportsDir = 'reports'): string {
  return join(reportsDir, runFolderName(report.run.id));
}

/** Write to a temporary name, then rename: a reader never sees half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function writeOne(
  report: Report,
  reporter: FileReporter,
  outDir: string,
): Promise<WrittenFile | ReporterFailure> {
  let text: string;
  try {
    text = reporter.render(report);
  } catch (e) {
    return {
      reporter: reporter.name,
      code: 'REPORTER_FAILED',
      message: `rendering ${reporter.fileName} failed: ${messageOf(e)} (a bug in hbs-sim; please report it)`,
    };
  }
  const path = join(outDir, reporter.fileName);
  try {
    await writeAtomically(path, text);
    return { reporter: reporter.name, path };
  } catch (e) {
    return {
      reporter: reporter.name,
      code: 'REPORT_WRITE_FAILED',
      message: `could not write ${path}: ${messageOf(e)}; check that the folder is writable or choose another with --out`,
    };
  }
}

/**
 * Points `latestPath` at `outDir` with a relative symlink (so the reports folder can be moved or archived whole),
 * replacing any earlier one atomically. Where symlinks are refused (Windows without developer mode, some mounted
 * file systems) it writes a text file `latest` holding the run folder's relative path instead.
 */
export async function pointLatest(
  latestPath: string,
  outDir: string,
): Promise<NonNullable<WriteReportResult['latest']>> {
  const target = relative(dirname(latestPath), outDir) || basename(outDir);
  const tmp = `${latestPath}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  try {
    await symlink(target, tmp, 'dir');
    await rename(tmp, latestPath);
    return { path: latestPath, kind: 'symlink' };
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EACCES' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
    await writeAtomically(latestPath, `${target}\n`);
    return { path: latestPath, kind: 'file' };
  }
}

/** Writes every requested file of `report` into `outDir`, then updates `latest`. Never throws. */
export async function writeReport(report: Report, options: WriteReportOptions): Promise<WriteReportResult> {
  const { outDir } = options;
  const reporters = (options.reporters ?? REPORTER_NAMES).map((r) => (typeof r === 'string' ? FILE_REPORTERS[r] : r));
  const result: WriteReportResult = { outDir, files: [], failures: [], warnings: [] };
  try {
    makeDirs(outDir);
  } catch (e) {
    const message = `could not create ${outDir}: ${messageOf(e)}; check the path or choose another with --out`;
    result.failures = reporters.map((r) => ({ reporter: r.name, code: 'REPORT_WRITE_FAILED', message }));
    return result;
  }
  for (const reporter of reporters) {
    const outcome = await writeOne(report, reporter, outDir);
    if ('path' in outcome) result.files.push(outcome);
    else result.failures.push(outcome);
  }
  const latestPath = options.latest ?? join(dirname(outDir), 'latest');
  if (latestPath !== false && result.files.length > 0) {
    try {
      result.latest = await pointLatest(latestPath, outDir);
    } catch (e) {
      result.warnings.push(`could not update ${latestPath}: ${messageOf(e)}; the run folder ${outDir} is complete`);
    }
  }
  return result;
}
