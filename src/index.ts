export { createAuthCache } from "./cache/auth-cache.js";
export { normaliseEmail } from "./cache/emails.js";
export type { CacheEvent, CacheEventListener, CacheKind } from "./cache/events.js";
export { assertId, isValidId, type KeySpace } from "./cache/keys.js";
export type {
  AuthCache,
  AuthCacheOptions,
  BlacklistOptions,
  LoadUser,
  Profile,
  ResolvedOptions,
  SessionCheck,
  SessionInfo,
  SessionStart,
  SessionToken,
  TtlOptions,
} from "./cache/types.js";
export * from "./errors.js";
export type { BreakerState } from "./guard/circuit-breaker.js";
export type { GuardedStore } from "./guard/guarded-store.js";
export { type Logger, silentLogger } from "./logger.js";
export { type MemoryStoreOptions, memoryStore } from "./stores/memory.js";
export type { IndexEntry, IndexKeys, Store, WriteCondition } from "./stores/types.js";
