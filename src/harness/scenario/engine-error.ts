/** The harness could not carry a step out (a trigger unreachable, nothing to send to): not the partner's fault. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: string = 'HARNESS',
  ) {
    super(message);
  }
}

/** A trigger whose test API did not answer 2xx (or at all); the engine judges the partner on what reached HBS first. */
export class TriggerFailed extends EngineError {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message, 'TRIGGER_FAILED');
  }
}
