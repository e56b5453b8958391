import type { Command } from '../command.js';

/** Every command the CLI offers, in the order `--help` lists them. */
export const COMMANDS: Command[] = [];
