import { isValidId } from "../cache/keys.js";
import { isPlainObject } from "./sanitize.js";
import type { JWTLike } from "./types.js";

/**
 * The claims the wrapper adds to the token. The JWT's own `jti` and `iat` change every time
 * Auth.js re-encodes the cookie (on every session read), so the session is keyed by a claim of
 * its own, minted once at sign-in and carried unchanged for the session's whole life.
 */
export const CLAIMS = {
  /** The session id: 128 random bits, hex. The key of every per-session cache entry. */
  sessionId: "acSid",
  /** When the session started (ms). Compared with the user's "sign out everywhere" watermark. */
  startedAt: "acStart",
  /** When the session's sliding TTL was last refreshed (ms), to throttle that write. */
  touchedAt: "acSeen",
  /** Marks a next-auth v4 token that stands for "signed out": it encodes to no cookie at all. */
  signedOut: "acOut",
} as const;

/** The standard profile claims Auth.js puts in a token, kept small as a fallback display. */
export const PROFILE_CLAIMS = ["name", "email", "picture"] as const;

/** A standard claim longer than this is left out of the token: the cache serves it instead. */
export const MAX_CLAIM_LENGTH = 1024;

/** The identity claims of a token the wrapper can vouch for. */
export interface SessionClaims {
  userId: string;
  sessionId: string;
  startedAt: number;
  touchedAt: number;
}

/** A new session id: 128 bits from the platform's CSPRNG (Web Crypto, so edge runtimes too). */
export function mintSessionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);

  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** The token's identity claims when all are present and well-formed, else `null`. */
export function readClaims(token: unknown): SessionClaims | null {
  if (!isPlainObject(token)) return null;

  const userId = token.sub;
  const sessionId = token[CLAIMS.sessionId];
  const startedAt = token[CLAIMS.startedAt];
  const touchedAt = token[CLAIMS.touchedAt];
  if (!isValidId(userId) || !isValidId(sessionId) || !isTime(startedAt)) return null;

  return {
    userId,
    sessionId,
    startedAt,
    touchedAt: isTime(touchedAt) ? touchedAt : startedAt,
  };
}

/** Writes identity claims over a token, so an app callback can neither drop nor forge them. */
export function withClaims(token: JWTLike, claims: SessionClaims): JWTLike {
  const out: JWTLike = {
    ...token,
    sub: claims.userId,
    [CLAIMS.sessionId]: claims.sessionId,
    [CLAIMS.startedAt]: claims.startedAt,
    [CLAIMS.touchedAt]: claims.touchedAt,
  };
  delete out[CLAIMS.signedOut];
  return out;
}

/** The v4 signed-out token: a valid claims set that the wrapped `jwt.encode` turns into "". */
export function signedOutToken(): JWTLike {
  return { [CLAIMS.signedOut]: 1 };
}

/** Whether `token` is the v4 signed-out token. */
export function isSignedOut(token: unknown): boolean {
  return isPlainObject(token) && token[CLAIMS.signedOut] === 1;
}

/** Drops oversized standard claims; the profile in the cache carries the full values. */
export function trimProfileClaims(token: JWTLike): JWTLike {
  const out: JWTLike = { ...token };
  for (const claim of PROFILE_CLAIMS) {
    const value = out[claim];
    if (typeof value === "string" && value.length > MAX_CLAIM_LENGTH) delete out[claim];
  }
  return out;
}

/** The token's expiry in ms (its `exp`), or `null` when it has none. */
export function expiryOf(token: unknown): number | null {
  if (!isPlainObject(token)) return null;
  const exp = token.exp;
  return typeof exp === "number" && Number.isFinite(exp) && exp > 0 ? exp * 1000 : null;
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/**
 * The session a decoded token belongs to: its user id, session id and start time, or `null` for
 * a token authcache did not mint. Use it with `getToken()` to find the current device, e.g. to
 * mark it in a device list or to keep it in `revokeUserSessions(userId, { except })`.
 */
export function sessionOf(
  token: unknown,
): { userId: string; sessionId: string; startedAt: number } | null {
  const claims = readClaims(token);
  return claims
    ? { userId: claims.userId, sessionId: claims.sessionId, startedAt: claims.startedAt }
    : null;
}
