/** The file reporters: each a name, the file it writes in the run folder, and a pure render function. */
import type { Report } from './model.js';
import { renderHtml } from './render/html/page.js';
import { renderJson } from './render/json.js';
import { renderJUnit } from './render/junit.js';
import { renderMarkdown } from './render/markdown.js';

export interface FileReporter {
  name: string;
  fileName: string;
  render(report: Report): string;
}

export const FILE_REPORTERS = Object.freeze({
  json: { name: 'json', fileName: 'report.json', render: renderJson },
  junit: { name: 'junit', fileName: 'junit.xml', render: renderJUnit },
  html: { name: 'html', fileName: 'index.html', render: renderHtml },
  markdown: { name: 'markdown', fileName: 'summary.md', render: renderMarkdown },
} satisfies Record<string, FileReporter>);

export type ReporterName = keyof typeof FILE_REPORTERS;
export const REPORTER_NAMES = Object.keys(FILE_REPORTERS) as ReporterName[];
