/**
 * A forwarded answer that carries a SessionID must carry the hub's (partners never invent it).
 * @see OICP 2.3 CPO, 01 Communication Paradigms, Session handling
 */
export function echoesSession(sessionId: string): (body: unknown) => string[] {
  return (body) => {
    const got = (body as { SessionID?: unknown } | null)?.SessionID;
    if (got === undefined || got === null) return [];
    return String(got).toLowerCase() === sessionId.toLowerCase()
      ? []
      : [`answered SessionID ${String(got)}, not the hub's ${sessionId}`];
  };
}
