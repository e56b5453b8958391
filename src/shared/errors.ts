/**
 * Errors are values with a stable code and a message that names the fix. The CLI prints `code: message` and, only
 * with --verbose, the cause's stack. Every code is listed in the README's error table (kept in sync by a unit test).
 */

/** A field-level problem: where (JSON pointer or dotted path), what, and optionally the source position. */
export interface FieldError {
  path: string;
  message: string;
  line?: number;
  col?: number;
}

export interface SimErrorOptions {
  file?: string;
  fieldErrors?: FieldError[];
  cause?: unknown;
}

export const ERROR_CODES = {
  CONFIG_INVALID: 'a simulator/ or configuration file does not match its schema',
  CONFIG_NOT_FOUND: 'a configuration file or folder does not exist',
  CONFIG_UNREADABLE:
    'a file or folder the configuration names cannot be read, or written for a transcript (permissions, a folder where a file belongs, I/O error)',
  CONFIG_VERSION: 'a data file carries a version this tool does not know',
  TLS_MISSING: 'certificate material is missing',
  TLS_INVALID: 'certificate material is unreadable, expired or does not match the configuration',
  HUB_LISTEN: 'the hub could not listen on the requested host/port',
  USAGE: 'the command line is wrong',
  SIM_INPUT: 'a control request or fault definition is malformed',
  SIM_ACTION: 'a virtual actor was asked for something its state does not allow (unknown EVSE, no session)',
  EVSE_TRANSITION: "an EVSE status change the station's transition table forbids",
  SIM_START: 'a virtual actor could not start (listen, or the hub refused its initial push)',
  OCPP_CONNECT:
    "the virtual charge point could not open its WebSocket to the CSMS (URL, the CSMS's certificate, password)",
  OCPP_BOOT: "the CSMS rejected the charge point's BootNotification or did not answer it",
  OCPP_CALL:
    'a call between the virtual charge point and the CSMS failed: no answer in time, a CALLERROR, or the connection lost',
  INTERNAL: 'a bug in hbs-sim',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SimError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly fieldErrors: FieldError[];

  constructor(code: ErrorCode, message: string, options: SimErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.file = options.file;
    this.fieldErrors = options.fieldErrors ?? [];
  }

  /** One line per problem, `file:line:col path: message`, as editors and CI logs link them. */
  describe(): string {
    const head = `${this.code}: ${this.message}`;
    if (this.fieldErrors.length === 0) return head;
    const lines = this.fieldErrors.map((e) => {
      const where = [this.file, e.line, e.col].filter((x) => x !== undefined).join(':');
      return `  ${where ? `${where} ` : ''}${e.path || '/'}: ${e.message}`;
    });
    return [head, ...lines].join('\n');
  }
}

export class ConfigError extends SimError {}
export class TlsError extends SimError {}
export class UsageError extends SimError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export function isSimError(e: unknown): e is SimError {
  return e instanceof SimError;
}

/** The message of anything thrown, for logs and OICP AdditionalInfo. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
