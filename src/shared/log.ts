import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Human-readable output; defaults to whether stderr is a terminal. */
  pretty?: boolean;
}

/**
 * Logs are diagnostics and go to stderr; reports and command output go to stdout or files. Client certificate keys
 * and authorization headers never reach a log line.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.HBS_SIM_LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const base = {
    level,
    base: undefined,
    redact: { paths: ['*.headers.authorization', '*.key', '*.privateKey', 'tls.key'], censor: '[redacted]' },
  };
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(base, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
