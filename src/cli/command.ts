import type { ExitCode } from '../shared/exit-codes.js';
import type { Logger } from '../shared/log.js';

/** What every command gets: its own arguments, the logger, and where to print its output. */
export interface CommandContext {
  argv: string[];
  logger: Logger;
  /** Command output (stdout); logs go to stderr through the logger. */
  out: (line: string) => void;
  cwd: string;
  /** Resolves when the user asks to stop (Ctrl-C / SIGTERM). */
  shutdownSignal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Log level when neither --log-level nor --verbose is given (a command with its own progress output is quieter). */
  defaultLogLevel?: string;
  run(ctx: CommandContext): Promise<ExitCode>;
}
