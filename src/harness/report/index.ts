/**
 * The report module's public entry: the model, the builder the scenario engine fills, the renderers (pure
 * functions of the model), the writer, the console reporter and the exit-code contract.
 * @see reports/README.md
 */

export {
  exitCodeFor,
  REPORT_EXIT,
  type ReportExitCode,
  type ReporterFailure,
  summarize,
  verdictOf,
  worstOf,
} from './aggregate.js';
export {
  buildReport,
  type CheckInput,
  checklistItem,
  expectEqual,
  type ItemInput,
  type ReportInput,
  type StepInput,
} from './build.js';
export { usesColor } from './console/colors.js';
export { multiplexProgress, type ProgressEvent, type ProgressListener } from './console/progress.js';
export { type ConsoleReporterOptions, createConsoleReporter } from './console/reporter.js';
export * from './model.js';
export { cdrUploadDelay, computeQuality, QUALITY_LIMITS, remoteStartResponseTime } from './quality.js';
export { EVSE_MANDATORY_FIELDS, evseDataCompleteness, missingEvseFields } from './quality-evse.js';
export { REDACTED, redactExchange, redactHeaders, redactText, redactUrl } from './redact.js';
export { renderHtml } from './render/html/page.js';
export { renderSuiteIndex, type SuiteEntry } from './render/html/suite.js';
export { renderJson } from './render/json.js';
export { renderJUnit } from './render/junit.js';
export { renderMarkdown } from './render/markdown.js';
export { FILE_REPORTERS, type FileReporter, REPORTER_NAMES, type ReporterName } from './reporters.js';
export { REPORT_SCHEMA_PATH, reportSchemaText } from './schema-file.js';
export { SECTION_TITLES, sectionsOfRole } from './sections.js';
export { type TimeScaleStatement, timeScaleStatement } from './time-scale.js';
export {
  defaultOutDir,
  pointLatest,
  runFolderName,
  type WriteReportOptions,
  type WriteReportResult,
  type WrittenFile,
  writeReport,
} from './write.js';
