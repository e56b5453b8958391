import type { Command } from '../command.js';
import { certsCommand } from './certs.js';
import { demoCommand } from './demo.js';
import { initCommand } from './init.js';
import { referenceCommand } from './reference.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { validateCommand } from './validate.js';

/** Every command the CLI offers, in the order `--help` lists them. */
export const COMMANDS: Command[] = [
  demoCommand,
  serveCommand,
  runCommand,
  referenceCommand,
  validateCommand,
  certsCommand,
  initCommand,
];
