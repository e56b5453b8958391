/**
 * The report module's public entry: the model, the builder the scenario engine fills, the renderers (pure
 * functions of the model), the writer, the console reporter and the exit-code contract.
 * @see reports/README.md
 */
export * from './model.js';
export { buildReport, checklistItem, expectEqual, type CheckInput, type ItemInput, type ReportInput, type StepInput } from './build.js';
export { exitCodeFor, summarize, verdictOf, worstOf, REPORT_EXIT, type ReportExitCode, type ReporterFailure } from './aggregate.js';
export { redactExchange, redactHeaders, redactUrl, redactText, REDACTED } from './redact.js';
export { computeQuality, cdrUploadDelay, remoteStartResponseTime, QUALITY_LIMITS } from './quality.js';
export { evseDataCompleteness, missingEvseFields, EVSE_MANDATORY_FIELDS } from './quality-evse.js';
export { renderJson } from './render/json.js';
export { renderJUnit } from './render/junit.js';
export { renderHtml } from './render/html/page.js';
export { renderSuiteIndex, type SuiteEntry } from './render/html/suite.js';
export { renderMarkdown } from './render/markdown.js';
export { FILE_REPORTERS, REPORTER_NAMES, type FileReporter, type ReporterName } from './reporters.js';
export { defaultOutDir, pointLatest, runFolderName, writeReport, type WriteReportOptions, type WriteReportResult, type WrittenFile } from './write.js';
export { createConsoleReporter, type ConsoleReporterOptions } from './console/reporter.js';
export { multiplexProgress, type ProgressEvent, type ProgressListener } from './console/progress.js';
export { SECTION_TITLES, sectionsOfRole } from './sections.js';
export { REPORT_SCHEMA_PATH, reportSchemaText } from './schema-file.js';
