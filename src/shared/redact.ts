/**
 * The one list of what counts as a secret in an exchange: header values and query parameters that carry credentials,
 * and the user-info part of a URL. The recorder applies it to every exchange it keeps, so the in-memory list, the
 * JSONL transcript, the process monitor (page, API, CSV) and the reports built from them never hold the value.
 * Bodies are kept: they carry the OICP data a developer needs.
 */

export const REDACTED = '[REDACTED]';

/**
 * Header names that carry credentials: anything naming a key, token, secret, auth(orization), cookie, password,
 * credential, signature or private material (`x-api-key`, `proxy-authorization`, `x-auth-token`, `x-client-secret`,
 * `set-cookie`, …).
 */
const SECRET_HEADER = /key|token|secret|auth|cookie|passw(or)?d|credential|signature|private/i;
/** A value that is a credential whatever the header is called. */
const SECRET_VALUE = /^\s*(bearer|basic|digest|negotiate|token)\s+\S/i;
/** Query parameters alike (`?token=`, `?api_key=`, `access_token`, `client_secret`, `auth`, `sig`, `code`, `pwd`). */
const SECRET_PARAM = /key|token|secret|auth|passw(or)?d|credential|signature|^pwd$|^sig$|^code$/i;

export function isSecretHeader(name: string, value: string): boolean {
  return SECRET_HEADER.test(name) || SECRET_VALUE.test(value);
}

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

/**
 * Headers with every secret value replaced by [REDACTED]; names and order kept, so a reader sees what was sent. A
 * copy is made only when something is replaced: the recorder runs this on every exchange.
 */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const name of Object.keys(headers)) {
    if (!isSecretHeader(name, String(headers[name]))) continue;
    out ??= { ...headers };
    out[name] = REDACTED;
  }
  return out ?? (headers as Record<string, string>);
}

/**
 * A URL (absolute, or a path with a query as an inbound request line has it) with `user:password@` and secret query
 * values replaced. Works on the text rather than through `new URL` so that anything else (templates like
 * `{operatorID}`, odd encodings) stays byte for byte as written.
 */
export function redactUrl(url: string): string {
  // Nothing to find without user info or a parameter (every request line the recorder keeps, most of them).
  if (!/[@?&;]/.test(url)) return url;
  const withoutUserInfo = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, `$1${REDACTED}@`);
  return withoutUserInfo.replace(/([?&;])([^=&#;]+)=([^&#;]*)/g, (whole, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // a malformed escape is not a secret name; keep the name as written
    }
    return isSecretParam(decoded) ? `${sep}${name}=${REDACTED}` : whole;
  });
}

/** Every URL inside free text (error messages quote them) with its secrets redacted. */
export function redactText(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}
