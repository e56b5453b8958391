import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// No test-runner imports here, like the other helpers: the files that use it decide how to skip.

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The folder with Hubject's OICP 2.3 reference material (DIGEST.md, examples/) that some tests compare against. It is
 * not part of the repository: OICP_REFERENCE_DIR names it (a relative path is taken from the repository root), else
 * ../shared/reference/oicp-2.3 beside the repository.
 */
const WANTED = path.resolve(REPO_ROOT, process.env['OICP_REFERENCE_DIR'] ?? '../shared/reference/oicp-2.3');

/** The reference folder, or undefined when it is absent (a fresh clone): the tests that need it are then skipped. */
export const OICP_REFERENCE_DIR: string | undefined = existsSync(WANTED) ? WANTED : undefined;

/** Why those tests are skipped, for their titles and a warning. */
export const OICP_REFERENCE_SKIP_REASON = `skipped: OICP_REFERENCE_DIR (${WANTED}) not found; set it to a folder holding Hubject's OICP 2.3 DIGEST.md and examples/`;

/** `title` as it is when the folder is there; with the skip reason appended when it is not. Warns once per caller. */
export function referenceTitle(title: string): string {
  if (OICP_REFERENCE_DIR !== undefined) return title;
  console.warn(`${title}: ${OICP_REFERENCE_SKIP_REASON}`);
  return `${title} (${OICP_REFERENCE_SKIP_REASON})`;
}
