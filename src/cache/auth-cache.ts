import { InvalidOptionError } from "../errors.js";
import { defaultTimeoutMs, guardStore } from "../guard/guarded-store.js";
import { silentLogger } from "../logger.js";
import { memoryStore } from "../stores/memory.js";
import { InvalidationBus } from "./bus.js";
import { type CacheContext, ttlMs } from "./context.js";
import { Emails } from "./emails.js";
import { createEnvelopeCodec } from "./envelope.js";
import { EventHub } from "./events.js";
import { createKeySpace } from "./keys.js";
import { L1Tier } from "./l1.js";
import { Profiles } from "./profiles.js";
import { Revocation } from "./revocation.js";
import { createSecretKeys } from "./secret-keys.js";
import { Sessions } from "./sessions.js";
import type { AuthCache, AuthCacheOptions, ResolvedOptions } from "./types.js";

const DEFAULT_TTL = { session: 1800, profile: 900, email: 3600, maxAge: 30 * 24 * 3600 };

/**
 * Creates the cache. Without a `store` it keeps everything in this process's memory, which is
 * right for development and single-instance apps; pass `redisStore()` or `upstashStore()` to
 * share sessions and revocations between instances.
 *
 * @example
 * const cache = createAuthCache({
 *   store: redisStore({ url: process.env.REDIS_URL }),
 *   secret: process.env.AUTH_SECRET,
 *   loadUser: (id) => db.user.findUnique({ where: { id } }),
 * });
 */
export function createAuthCache(options: AuthCacheOptions = {}): AuthCache {
  const resolved = resolveOptions(options);
  const raw = options.store ?? memoryStore();
  const events = new EventHub();
  if (options.onEvent) events.on(options.onEvent);

  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const secrets = createSecretKeys(options.secret);
  // The guard keeps its own monotonic clock: `now` may be a test's fake or a wall clock that
  // steps back, and neither may hold the breaker open.
  const store = guardStore(raw, {
    timeoutMs: resolved.timeoutMs,
    breakerThreshold: options.breaker?.threshold,
    breakerCooldownMs: options.breaker?.cooldownMs,
    logger,
    events,
  });

  // The tier starts listening on its first use, not here: creating a cache (as a Next.js build
  // does when it imports the app's auth module) must not open a connection.
  const l1 = options.l1
    ? new L1Tier(options.l1 === true ? {} : options.l1, {
        mode: typeof store.subscribe === "function" ? "pubsub" : "ttl-only",
        onFirstUse: () => bus.listen(),
      })
    : undefined;
  const bus = new InvalidationBus(store, resolved.prefix, l1, logger);

  const ctx: CacheContext = {
    store,
    keys: createKeySpace(resolved.prefix),
    codec: createEnvelopeCodec(secrets, options.encrypt === true),
    secrets,
    events,
    logger,
    options: resolved,
    loadUser: options.loadUser,
    now,
    l1,
    bus,
  };
  if (options.encrypt && !options.secret) throw new InvalidOptionError("encrypt", "needs `secret`");

  const sessions = new Sessions(ctx);
  const profiles = new Profiles(ctx);
  const emails = new Emails(ctx);
  const revocation = new Revocation(ctx, sessions, profiles);

  return {
    store,
    options: resolved,
    keys: ctx.keys,
    on: (listener) => events.on(listener),
    emit: (event) => events.emit(event),

    cacheJWTSession: async (sessionId, token, ttl) => {
      await sessions.cache(sessionId, token, ttl);
    },
    getJWTSession: (sessionId) => sessions.get(sessionId),
    invalidateJWTSession: (sessionId) => sessions.invalidate(sessionId),

    cacheUserProfile: async (userId, profile, ttl) => {
      await profiles.cache(userId, profile, ttl);
    },
    getUserProfile: (userId) => profiles.get(userId),
    invalidateUserProfile: (userId) => profiles.invalidate(userId),

    cacheEmailToUserId: async (email, userId, ttl) => {
      await emails.cache(email, userId, ttl);
    },
    getUserIdByEmail: (email) => emails.get(email),
    invalidateEmail: (email) => emails.invalidate(email),
    emailKey: (email) => emails.key(email),

    blacklistSession: (sessionId, ttl) => revocation.blacklist(sessionId, ttl),
    isSessionBlacklisted: (sessionId) => revocation.isBlacklisted(sessionId),
    revokeUserSessions: (userId, opts) => revocation.revokeUser(userId, opts),
    listUserSessions: (userId) => revocation.list(userId),

    startSession: (start, token) => sessions.start(start, token),
    touchSession: (start, token, lastSeenAt) => sessions.touch(start, token, lastSeenAt),
    revokeSession: (userId, sessionId, expiresAt) =>
      revocation.blacklist(sessionId, { userId, expiresAt }),
    checkSession: (input) => revocation.check(input),

    get l1() {
      l1?.start();
      return l1?.status ?? null;
    },
    close: async () => {
      revocation.stop();
      await bus.close();
      await raw.close();
    },
  };
}

function resolveOptions(options: AuthCacheOptions): ResolvedOptions {
  const ttl = { ...DEFAULT_TTL, ...options.ttl };
  for (const [name, value] of Object.entries(ttl)) ttlMs(value, 1, name);

  const onStoreDown = options.onStoreDown ?? "allow";
  if (onStoreDown !== "allow" && onStoreDown !== "deny") {
    throw new InvalidOptionError("onStoreDown", 'expected "allow" or "deny"');
  }

  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs(options.store?.kind ?? "memory");
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new InvalidOptionError("timeoutMs", "expected a non-negative number of milliseconds");
  }
  const { threshold, cooldownMs } = options.breaker ?? {};
  if (threshold !== undefined && !(threshold >= 1)) {
    throw new InvalidOptionError("breaker.threshold", "expected at least 1 failure");
  }
  if (cooldownMs !== undefined && !(Number.isFinite(cooldownMs) && cooldownMs >= 0)) {
    throw new InvalidOptionError("breaker.cooldownMs", "expected a non-negative number of ms");
  }

  const maxSessionsPerUser = options.maxSessionsPerUser ?? 100;
  if (!Number.isInteger(maxSessionsPerUser) || maxSessionsPerUser < 1) {
    throw new InvalidOptionError("maxSessionsPerUser", "expected a positive integer");
  }

  return {
    prefix: options.prefix ?? "authcache",
    ttl,
    onStoreDown,
    strict: options.strict === true,
    maxSessionsPerUser,
    timeoutMs,
    hasSecret: typeof options.secret === "string" && options.secret.length > 0,
  };
}
