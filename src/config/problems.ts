import { ConfigError, type FieldError } from '../shared/errors.js';

/**
 * Collects problems per file and throws them together: one ConfigError for one file, or a WorldConfigError that
 * prints every file's problems, so a rename that breaks three files shows all three at once.
 */
export class Problems {
  private readonly byFile = new Map<string, FieldError[]>();

  /** Records problems found in `file`. */
  add(file: string, ...errors: FieldError[]): void {
    if (errors.length === 0) return;
    this.byFile.set(file, [...(this.byFile.get(file) ?? []), ...errors]);
  }

  /** Throws if anything was recorded. */
  throwIfAny(): void {
    const parts = [...this.byFile].map(([file, fieldErrors]) => {
      return new ConfigError('CONFIG_INVALID', `${file}: ${count(fieldErrors.length)}`, { file, fieldErrors });
    });
    const [first, ...rest] = parts;
    if (!first) return;
    if (rest.length === 0) throw first;
    throw new WorldConfigError(parts);
  }
}

function count(n: number): string {
  return n === 1 ? '1 problem' : `${n} problems`;
}

/** Problems in several files of one world; `describe()` lists each with its own `file:line:col`. */
export class WorldConfigError extends ConfigError {
  readonly parts: readonly ConfigError[];

  constructor(parts: readonly ConfigError[]) {
    const total = parts.reduce((n, p) => n + p.fieldErrors.length, 0);
    const fieldErrors = parts.flatMap((p) => p.fieldErrors);
    super('CONFIG_INVALID', `${count(total)} in ${parts.length} files`, { fieldErrors });
    this.parts = parts;
  }

  override describe(): string {
    const lines = this.parts.flatMap((p) => p.describe().split('\n').slice(1));
    return [`${this.code}: ${this.message}`, ...lines].join('\n');
  }
}
