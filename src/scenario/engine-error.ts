/** The harness could not carry a step out (a trigger unreachable, nothing to send to): not the partner's fault. */
export class EngineError extends Error {}
