/** The exit-code contract CI pipelines gate on. */
export const EXIT = {
  /** Every mandatory checklist item passed (or the command did its job). */
  OK: 0,
  /** The partner under test failed at least one check. */
  PARTNER_FAILED: 1,
  /** Bad input: arguments, configuration, scenario files, a profile lacking the test data the items need. */
  BAD_INPUT: 2,
  /**
   * The harness itself could not run a check (TLS setup, port in use, a reporter crashed), or the preflight found the
   * partner's endpoints or test API unreachable or their TLS wrong, so no item ran.
   */
  HARNESS_ERROR: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
