import type { GuardedStore } from "../guard/guarded-store.js";
import type { Logger } from "../logger.js";
import type { Store } from "../stores/types.js";
import type { CacheEvent, CacheEventListener } from "./events.js";
import type { KeySpace } from "./keys.js";
import type { L1Options, L1Status } from "./l1.js";

/** A user's profile as the app's `loadUser` returns it: any plain, storable object. */
export type Profile = Record<string, unknown>;

/**
 * What `loadUser` may return: the profile, or `null` when the user no longer exists. The profile
 * may carry `revokedBefore` (ms since epoch or a Date): a "sign out everywhere" watermark that the
 * app persists in its own database, so that it survives a flushed cache.
 */
export type LoadUser = (userId: string) => Promise<Profile | null | undefined>;

/** The cached form of a session: the token's claims, as the jwt callback last saw them. */
export type SessionToken = Record<string, unknown>;

/** One entry of `listUserSessions`. Times are ms since epoch. */
export interface SessionInfo {
  sessionId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string | null;
}

/** What the cache knows of a session, in one round trip (see `AuthCache.checkSession`). */
export interface SessionCheck {
  /** The session was revoked: blacklisted, or issued before the user's watermark. */
  revoked: boolean;
  /** Why, when revoked. */
  reason: "blacklisted" | "user-revoked" | "unknown-session" | "store-down" | null;
  /** The store could not be asked; `revoked` then follows `onStoreDown`. */
  storeDown: boolean;
  /** The cached profile, when the same round trip found one. */
  profile: Profile | null;
  /** The cached token, when it was read (strict mode, or when asked for recovery). */
  session: SessionToken | null;
}

export interface TtlOptions {
  /** Seconds a cached session lives after its last refresh. @default 1800 */
  session?: number;
  /** Seconds a cached profile lives. @default 900 */
  profile?: number;
  /** Seconds an email → user id mapping lives. @default 3600 */
  email?: number;
  /**
   * Seconds a session lives when its token carries no `exp` (the Auth.js default max age).
   * Blacklist entries and watermarks live at least this long. @default 2592000 (30 days)
   */
  maxAge?: number;
}

export interface AuthCacheOptions {
  /** Where entries live. @default memoryStore() */
  store?: Store;
  /**
   * The app's secret (e.g. `AUTH_SECRET`). Needed to key email mappings by HMAC and to encrypt
   * values; without it, `cacheEmailToUserId` / `getUserIdByEmail` throw `MissingSecretError`.
   */
  secret?: string;
  /** Encrypt values with AES-GCM under a key derived from `secret`. @default false */
  encrypt?: boolean;
  /** The source of truth for profiles, read through on a miss. */
  loadUser?: LoadUser;
  /** Key prefix. @default "authcache" */
  prefix?: string;
  ttl?: TtlOptions;
  /**
   * What a revocation check answers when the store cannot be reached. "allow" keeps users signed
   * in (the token's own signature still holds); "deny" signs them out. @default "allow"
   */
  onStoreDown?: "allow" | "deny";
  /**
   * Make the store authoritative: a session the store does not know is signed out, so a flushed
   * or replaced cache fails closed. @default false
   */
  strict?: boolean;
  /**
   * The most sessions one user's device list holds. Past it, the sessions least recently seen
   * leave the list (they stay valid, and "sign out everywhere" still reaches them), so no user's
   * list can grow without bound and make listing it slow for the store. @default 100
   */
  maxSessionsPerUser?: number;
  /**
   * Milliseconds a store call may take before it counts as failed and the request falls back.
   * `0` turns it off (not advised for a network store: a frozen server would hang requests).
   * @default 250 for Redis, 500 for Upstash (REST), none for memory
   */
  timeoutMs?: number;
  /**
   * The circuit breaker in front of the store: after `threshold` consecutive failed calls it
   * opens, and calls fall back at once without waiting on the store; every `cooldownMs` one
   * call probes whether the store is back. @default { threshold: 5, cooldownMs: 500 }
   */
  breaker?: { threshold?: number; cooldownMs?: number };
  /** A pino-compatible logger. Quiet by default. */
  logger?: Logger;
  /** Receives typed cache events (hits, misses, fallbacks, errors, revocations). */
  onEvent?: CacheEventListener;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
  /**
   * An in-process L1 tier in front of the store, for profiles and "not revoked" answers: a
   * session read that hits it costs no store round trip. `true` takes the defaults.
   *
   * Changes made through authcache reach every instance's L1 over the store's pub/sub within
   * milliseconds (Redis and memory stores); while that subscription is down the tier is
   * bypassed, and it is emptied whenever the subscription comes back. An entry never lives more
   * than `ttlMs` after it was read from the store: the bound on staleness when a message is lost,
   * and the only bound on Upstash, whose REST API has no subscriptions.
   * @default off
   * @example createAuthCache({ store: redisStore(), l1: { ttlMs: 2000 } })
   */
  l1?: L1Options | true;
}

/** What a session is registered with at sign-in. Times are ms since epoch. */
export interface SessionStart {
  userId: string;
  sessionId: string;
  createdAt: number;
  /** When the session's token expires (its `exp`, in ms). */
  expiresAt: number;
  userAgent?: string | null;
}

/**
 * The cache. The first eleven methods are the seed's API; the rest serve the Auth.js wrapper,
 * the health check and the CLI. Every TTL argument is in seconds.
 */
export interface AuthCache {
  cacheJWTSession(sessionId: string, token: SessionToken, ttl?: number): Promise<void>;
  getJWTSession(sessionId: string): Promise<SessionToken | null>;
  invalidateJWTSession(sessionId: string): Promise<void>;

  cacheUserProfile(userId: string, profile: Profile, ttl?: number): Promise<void>;
  /** The cached profile, else `loadUser` (single-flight per user), else `null`. */
  getUserProfile(userId: string): Promise<Profile | null>;
  invalidateUserProfile(userId: string): Promise<void>;

  cacheEmailToUserId(email: string, userId: string, ttl?: number): Promise<void>;
  getUserIdByEmail(email: string): Promise<string | null>;

  /**
   * Revokes one session. The entry lives at least until the session's token would have expired:
   * `expiresAt` (ms) when given, else the expiry the cache recorded at sign-in, else `maxAge`.
   * A `ttl` only ever lengthens that, and a later call never shortens an existing entry.
   */
  blacklistSession(sessionId: string, ttl?: number | BlacklistOptions): Promise<void>;
  isSessionBlacklisted(sessionId: string): Promise<boolean>;

  /**
   * Revokes every session of the user that started before now ("sign out everywhere"); `except`
   * keeps one session (the current device). Returns the watermark (ms).
   */
  revokeUserSessions(userId: string, options?: { except?: string }): Promise<number>;
  /** The user's live sessions, newest first; revoked ones are left out. */
  listUserSessions(userId: string): Promise<SessionInfo[]>;

  /** Records a new session: caches its token, adds it to the user's index. */
  startSession(start: SessionStart, token: SessionToken): Promise<void>;
  /**
   * Revokes one session of a user: blacklist, cached token removed, index entry removed. The
   * cache does not check that the session belongs to `userId`; when the id comes from a client
   * (a "revoke this device" button), check it against `listUserSessions(userId)` first.
   */
  revokeSession(userId: string, sessionId: string, expiresAt?: number): Promise<void>;
  /**
   * One round trip: is the session revoked (blacklist, the user's watermark against
   * `issuedAt`), and the cached profile. Never throws: a store failure sets `storeDown`.
   */
  checkSession(input: {
    sessionId: string;
    userId: string;
    issuedAt: number;
    withSession?: boolean;
  }): Promise<SessionCheck>;
  /** Refreshes a session's sliding TTL and its last-seen time; skipped once it is revoked. */
  touchSession(start: SessionStart, token: SessionToken, lastSeenAt: number): Promise<void>;

  /** Forgets an email → user id mapping. */
  invalidateEmail(email: string): Promise<void>;
  /** The store key an email maps under (an HMAC of it; the email never reaches the store). */
  emailKey(email: string): Promise<string>;

  /** Subscribes to cache events (metrics, logs); returns the unsubscribe function. */
  on(listener: CacheEventListener): () => void;
  /** Publishes an event to the cache's listeners (integrations report their own timings). */
  emit(event: CacheEvent): void;
  /** Where each entry lives, for tooling (health checks, the CLI). */
  readonly keys: KeySpace;

  readonly store: GuardedStore;
  readonly options: ResolvedOptions;
  /**
   * The L1 tier's state (mode, whether it answers now, size), or `null` when it is off. Reading
   * it starts the tier's subscription if no lookup has yet (a readiness check may wait on it).
   */
  readonly l1: L1Status | null;
  close(): Promise<void>;
}

export interface BlacklistOptions {
  ttl?: number;
  /** When the session's token expires, ms since epoch. */
  expiresAt?: number;
  /** The session's owner, so its index entry is removed too. */
  userId?: string;
}

export interface ResolvedOptions {
  prefix: string;
  ttl: Required<TtlOptions>;
  onStoreDown: "allow" | "deny";
  strict: boolean;
  maxSessionsPerUser: number;
  timeoutMs: number;
  hasSecret: boolean;
}
