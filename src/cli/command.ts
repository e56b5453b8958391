import { type ParseArgsConfig, parseArgs } from 'node:util';
import { messageOf, UsageError } from '../shared/errors.js';
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

type FlagOptions = NonNullable<ParseArgsConfig['options']>;
type Flags<O extends FlagOptions, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>
>;

/**
 * A command's argv parsed strictly: an unknown flag, a missing value or (without `positionals`) a stray argument is
 * a UsageError naming it, followed by the command's usage.
 */
export function parseFlags<O extends FlagOptions, P extends boolean = true>(
  argv: string[],
  options: O,
  usage: string,
  positionals: P = true as P,
): Flags<O, P> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: positionals });
  } catch (e) {
    // parseArgs throws a TypeError naming the offending flag; the usage tells what would have been right.
    throw new UsageError(`${messageOf(e)}\n\n${usage}`);
  }
}

/** `--grep <regex>`: case-insensitive; a pattern that does not compile is a UsageError naming why. */
export function parseGrep(value: string | undefined): RegExp | undefined {
  if (value === undefined) return undefined;
  try {
    return new RegExp(value, 'i');
  } catch (e) {
    throw new UsageError(`--grep is not a regular expression: ${messageOf(e)}`);
  }
}
