/**
 * Console output of a run that goes on at the same time as another one printing to the same terminal: held back
 * until `release()`, then printed in one piece and passed straight through from then on. Two runs' progress lines
 * interleaved on one screen read as neither run; held back, each run's block reads as if it had run alone.
 */
export interface HeldOutput {
  write(chunk: string): void;
  /** Prints what was held and passes every later write straight through. Calling it again does nothing. */
  release(): void;
  /** True until release(). */
  readonly held: boolean;
}

/**
 * Past this many characters held, further writes are counted, not kept, and release() says how much was left out.
 * A demo's role prints a few hundred lines; the bound is there for a run at real time that keeps printing waiting
 * lines for minutes while the other role holds the terminal.
 */
export const HELD_OUTPUT_MAX_CHARS = 1024 * 1024;

export function holdOutput(
  target: (chunk: string) => void,
  options: { maxChars?: number; what?: string } = {},
): HeldOutput {
  const maxChars = options.maxChars ?? HELD_OUTPUT_MAX_CHARS;
  let chunks: string[] | undefined = [];
  let kept = 0;
  let dropped = 0;
  return {
    write(chunk) {
      if (!chunks) {
        target(chunk);
        return;
      }
      if (kept + chunk.length > maxChars) {
        dropped += chunk.length;
        return;
      }
      chunks.push(chunk);
      kept += chunk.length;
    },
    release() {
      if (!chunks) return;
      const held = chunks;
      chunks = undefined;
      if (held.length > 0) target(held.join(''));
      if (dropped > 0) {
        target(
          `… ${dropped} characters of ${options.what ?? 'this output'} were left out here (more than ${maxChars} held while the other run printed); the report has every item\n`,
        );
      }
    },
    get held() {
      return chunks !== undefined;
    },
  };
}
