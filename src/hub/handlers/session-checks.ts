import type { AnswerProblem } from '../../net/oicp-client.js';

/**
 * A forwarded answer that carries a SessionID must carry the hub's (partners never invent it).
 * @see OICP 2.3 CPO, 01 Communication Paradigms, Session handling
 */
export function echoesSession(sessionId: string): (body: unknown) => AnswerProblem[] {
  return (body) => {
    const got = (body as { SessionID?: unknown } | null)?.SessionID;
    if (got === undefined || got === null) return [];
    return String(got).toLowerCase() === sessionId.toLowerCase()
      ? []
      : [
          {
            pointer: '/SessionID',
            rule: 'session-id-echo',
            message: `answered SessionID ${String(got)}, not the hub's ${sessionId}`,
          },
        ];
  };
}
