/** The exit-code contract CI pipelines gate on. */
export const EXIT = {
  /** Every mandatory checklist item passed (or the command did its job). */
  OK: 0,
  /** The partner under test failed at least one check. */
  PARTNER_FAILED: 1,
  /** Bad input: arguments, configuration, scenario files. */
  BAD_INPUT: 2,
  /** The harness itself could not run a check (TLS setup, port in use, a reporter crashed). */
  HARNESS_ERROR: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
