import { InvalidIdError, InvalidOptionError } from "../errors.js";
import type { IndexKeys } from "../stores/types.js";

/**
 * Where every value lives. Keys are grouped by owner with a Redis Cluster hash tag, so that what
 * one operation touches sits in one slot:
 *
 *   <prefix>:{s:<sessionId>}:jwt        the cached token of a session
 *   <prefix>:{s:<sessionId>}:bl         the session's blacklist entry
 *   <prefix>:{s:<sessionId>}:live       the session exists (until its token expires); strict mode
 *   <prefix>:{s:<sessionId>}:keep       the session survives its user's watermark up to this value
 *   <prefix>:{u:<userId>}:profile       the user's profile
 *   <prefix>:{u:<userId>}:wm            the user's revocation watermark (ms)
 *   <prefix>:{u:<userId>}:sessions      the user's session index (sorted set by expiry)
 *   <prefix>:{u:<userId>}:sessions:meta the index's per-session metadata (hash)
 *   <prefix>:{e:<hmac>}:uid             email → user id; the email itself is never in a key
 *
 * The session and its blacklist entry share a slot so a write-back can be refused atomically
 * when the session was revoked meanwhile; a user's watermark, profile and index share another.
 */

// Printable ASCII without spaces and without `{` `}`, which would change a key's Cluster hash
// tag: wide enough for provider ids such as "auth0|65f0…" or "google-oauth2|123", "user/42".
const ID_PATTERN = /^[\x21-\x7a|~]{1,256}$/;
const PREFIX_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Throws `InvalidIdError` unless `id` is a non-empty string of safe characters (≤ 256). */
export function assertId(what: string, id: unknown): asserts id is string {
  if (typeof id !== "string") throw new InvalidIdError(what, `expected a string, got ${typeof id}`);
  if (!ID_PATTERN.test(id)) {
    throw new InvalidIdError(what, "use 1 to 256 printable ASCII characters, no spaces, { or }");
  }
}

/** Whether `id` would pass `assertId`, for paths that must not throw. */
export function isValidId(id: unknown): id is string {
  return typeof id === "string" && ID_PATTERN.test(id);
}

export interface KeySpace {
  readonly prefix: string;
  session(sessionId: string): string;
  blacklist(sessionId: string): string;
  live(sessionId: string): string;
  keep(sessionId: string): string;
  profile(userId: string): string;
  watermark(userId: string): string;
  index(userId: string): IndexKeys;
  email(emailHash: string): string;
}

export function createKeySpace(prefix = "authcache"): KeySpace {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new InvalidOptionError("prefix", "use 1 to 64 characters from A-Z a-z 0-9 . _ : -");
  }

  const s = (sessionId: string) => {
    assertId("session id", sessionId);
    return `${prefix}:{s:${sessionId}}`;
  };
  const u = (userId: string) => {
    assertId("user id", userId);
    return `${prefix}:{u:${userId}}`;
  };

  return {
    prefix,
    session: (sessionId) => `${s(sessionId)}:jwt`,
    blacklist: (sessionId) => `${s(sessionId)}:bl`,
    live: (sessionId) => `${s(sessionId)}:live`,
    keep: (sessionId) => `${s(sessionId)}:keep`,
    profile: (userId) => `${u(userId)}:profile`,
    watermark: (userId) => `${u(userId)}:wm`,
    index: (userId) => ({ set: `${u(userId)}:sessions`, meta: `${u(userId)}:sessions:meta` }),
    email: (emailHash) => `${prefix}:{e:${emailHash}}:uid`,
  };
}
