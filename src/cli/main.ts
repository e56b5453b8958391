import { isSimError, messageOf, type SimError } from '../shared/errors.js';
import { EXIT, type ExitCode } from '../shared/exit-codes.js';
import { toolVersion } from '../shared/paths.js';
import { COMMANDS, type CommandEntry } from './commands/index.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'hbs-sim — a local Hubject HBS (OICP 2.3) for developing and certifying CPO and EMP backends',
    '',
    'Usage: hbs-sim <command> [options]     (hbs-sim <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options: --verbose (stack traces and debug logs), --log-level <level>',
  ].join('\n');
}

/** Pulls the global flags out so every command sees only its own. */
function splitGlobal(argv: string[]): { verbose: boolean; logLevel?: string; rest: string[] } {
  const rest: string[] = [];
  let verbose = false;
  let logLevel: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--verbose') verbose = true;
    else if (a === '--log-level') logLevel = argv[++i];
    else if (a.startsWith('--log-level=')) logLevel = a.slice('--log-level='.length);
    else rest.push(a);
  }
  return { verbose, logLevel, rest };
}

/** `hbs-sim … | head` closes stdout early; that is the reader's choice, not an error worth a stack trace. */
function ignoreClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

export async function main(argv: string[]): Promise<ExitCode> {
  ignoreClosedStdout();
  const { verbose, logLevel, rest } = splitGlobal(argv);
  const [name, ...commandArgv] = rest;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT.OK : EXIT.BAD_INPUT;
  }
  if (name === '--version') {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT.OK;
  }
  const entry: CommandEntry | undefined = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`USAGE: unknown command "${name}". Run \`hbs-sim --help\` for the list.\n`);
    return EXIT.BAD_INPUT;
  }
  const command = await entry.load();
  if (commandArgv.includes('--help') || commandArgv.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT.OK;
  }
  // pino (and pino-pretty's worker on a terminal) load here, once a command really runs.
  const { createLogger } = await import('../shared/log.js');
  const logger = createLogger({ level: logLevel ?? (verbose ? 'debug' : command.defaultLogLevel) });
  const controller = new AbortController();
  const stop = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await command.run({
      argv: commandArgv,
      logger,
      out: (line) => process.stdout.write(`${line}\n`),
      cwd: process.cwd(),
      shutdownSignal: controller.signal,
    });
  } catch (e) {
    return reportError(e, verbose);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function reportError(e: unknown, verbose: boolean): ExitCode {
  if (isSimError(e)) {
    process.stderr.write(`${e.describe()}\n`);
    if (verbose && e.cause) process.stderr.write(`${(e.cause as Error).stack ?? String(e.cause)}\n`);
    return exitCodeFor(e);
  }
  process.stderr.write(`INTERNAL: ${messageOf(e)} — this is a bug in hbs-sim; rerun with --verbose and report it.\n`);
  if (verbose && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  return EXIT.HARNESS_ERROR;
}

function exitCodeFor(e: SimError): ExitCode {
  switch (e.code) {
    case 'USAGE':
    case 'CONFIG_INVALID':
    case 'CONFIG_NOT_FOUND':
    case 'CONFIG_UNREADABLE':
    case 'CONFIG_VERSION':
    case 'SIM_INPUT':
      return EXIT.BAD_INPUT;
    default:
      return EXIT.HARNESS_ERROR;
  }
}
