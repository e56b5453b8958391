import type { Command } from '../command.js';

/**
 * A command as `hbs-sim --help` lists it, with its module loaded only when it runs: `--version` and `--help` then
 * start without express, ajv or pino (issue 14 sets `--version` at 0.3 s), and each command loads only its own
 * dependencies. The summary is the command's own (test/unit/cli/commands.test.ts checks the two agree).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

/** Every command the CLI offers, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'run the full catalogue against the reference CPO and EMP and write the reports',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'serve',
    summary: 'start the mock HBS (OICP 2.3 over mutual TLS) from the simulator world',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'run',
    summary: 'run certification scenarios against your system and write the report',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'check',
    summary: 'check, before a run, that HBS can reach your system and that its profile is complete',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'reference',
    summary: 'run the reference CPO or EMP backend (with faults on demand) and write its partner profile',
    load: async () => (await import('./reference.js')).referenceCommand,
  },
  {
    name: 'validate',
    summary: 'check scenario files (schema, step rules, IDs) without running them',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'certs',
    summary: 'create the local CA, hub and partner certificates in certs/ (valid ones are kept)',
    load: async () => (await import('./certs.js')).certsCommand,
  },
  {
    name: 'init',
    summary: 'write a commented starter partner profile for your CPO or EMP, with what the catalogue needs',
    load: async () => (await import('./init.js')).initCommand,
  },
];
