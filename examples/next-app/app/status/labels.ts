/**
 * Words for the status page. The library reports short codes (`not-run`, `ECONNREFUSED`) and its
 * own operation names (`extend`, `indexAdd`); people get a phrase, and the raw code stays in a
 * tooltip for whoever greps the logs or the health endpoint's JSON.
 */

const FAILURES: Record<string, string> = {
  "not-run": "not run: ping failed",
  timeout: "timed out",
  slow: "over budget",
  "breaker-open": "skipped: breaker open",
  "not-stored": "write not kept",
  unreadable: "unreadable value",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "timed out",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  EHOSTUNREACH: "host unreachable",
  E_STORE_UNAVAILABLE: "store unavailable",
  "client-closed": "client closed",
  "client-offline": "client offline",
  BACKLOG: "too many calls pending",
  "store-error": "store error",
  "connection-timeout": "connect timed out",
  "socket-closed-unexpectedly": "connection lost",
};

/** Why a health check failed, in words. */
export function failureLabel(code: string | undefined): string {
  if (!code) return "failed";
  return FAILURES[code] ?? "failed";
}

/** What each health check writes and reads back. */
export const CHECKS: Record<string, string> = {
  ping: "the store answers",
  session: "session token write + read",
  email: "email map write + read",
  profile: "profile write + read",
  blacklist: "revocation write + read",
};

/** The store operations the cache calls, as the guard times them. */
export const STORE_OPS: Record<string, string> = {
  get: "read",
  write: "cache write",
  extend: "blacklist write",
  raise: "sign-out-all mark",
  del: "delete",
  ttl: "TTL lookup",
  indexAdd: "session list add",
  indexList: "session list read",
  indexRemove: "session list drop",
  ping: "health ping",
  publish: "notify servers",
};

/** The jwt callback, by what triggered it. */
export const JWT_TRIGGERS: Record<string, string> = {
  read: "session read",
  signIn: "sign-in",
  update: "session update",
  error: "failed closed",
};

/** The kinds of cache entries in the hit ratio chart. */
export const KINDS: Record<string, string> = {
  all: "all lookups",
  session: "session tokens",
  profile: "profiles",
  email: "email → user id",
  blacklist: "revocations",
  watermark: "sign-out marks",
  index: "session lists",
};

export const BREAKER: Record<string, string> = {
  closed: "closed: calls go to the store",
  open: "open: the store is skipped, fallbacks served",
  "half-open": "half-open: probing whether the store is back",
};

/** "0.35 ms" below a millisecond reads better as "350 µs". */
export function ms(value: number): string {
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(1)} ms`;
}
