import { isUuid } from '../../../core/index.js';

export interface SessionCookieOptions {
  readonly name: string;
  readonly secure: boolean;
  readonly sameSite: 'Lax' | 'Strict' | 'None';
  readonly path: string;
  readonly domain?: string | undefined;
  readonly maxAgeSeconds?: number | undefined;
}

/**
 * The session id carried by the cookie, or undefined when there is none or its value is not a
 * UUID (a malformed or forged value never becomes a session id: the request gets a new session).
 */
export function readSessionId(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    return isUuid(value) ? value.toLowerCase() : undefined;
  }
  return undefined;
}

/** The Set-Cookie header value for a session id (HttpOnly always; session cookie unless maxAgeSeconds). */
export function sessionCookie(id: string, o: SessionCookieOptions): string {
  let cookie = `${o.name}=${id}; Path=${o.path}; HttpOnly; SameSite=${o.sameSite}`;
  if (o.secure) cookie += '; Secure';
  if (o.domain !== undefined) cookie += `; Domain=${o.domain}`;
  if (o.maxAgeSeconds !== undefined) cookie += `; Max-Age=${o.maxAgeSeconds}`;
  return cookie;
}
