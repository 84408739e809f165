import { InvalidOptionError } from "../errors.js";
import type { GuardedStore } from "../guard/guarded-store.js";
import type { Logger } from "../logger.js";
import type { InvalidationBus } from "./bus.js";
import type { EnvelopeCodec } from "./envelope.js";
import type { EventHub } from "./events.js";
import type { KeySpace } from "./keys.js";
import type { L1Tier } from "./l1.js";
import type { SecretKeys } from "./secret-keys.js";
import type { LoadUser, ResolvedOptions } from "./types.js";

/** What the parts of the cache share: one store behind its guard, keys, codec, clock, events. */
export interface CacheContext {
  store: GuardedStore;
  keys: KeySpace;
  codec: EnvelopeCodec;
  secrets: SecretKeys;
  events: EventHub;
  logger: Logger;
  options: ResolvedOptions;
  loadUser: LoadUser | undefined;
  now: () => number;
  /** The in-process tier, when the cache was created with `l1`. */
  l1: L1Tier | undefined;
  /** Where changes are announced once the store acknowledged them. */
  bus: InvalidationBus;
}

/** Seconds (the public unit) to the store's milliseconds, validated at the call. */
export function ttlMs(seconds: number | undefined, fallback: number, what: string): number {
  const value = seconds ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(
      `${what} ttl`,
      `expected a positive number of seconds, got ${String(seconds)}`,
    );
  }
  return Math.ceil(value * 1000);
}

/**
 * Whether a cached value has passed its own expiry: a JWT-style `exp` (seconds since epoch) or an
 * Auth.js-style `expires` (ISO string, Date or ms). Such a value is a miss even while its key lives.
 */
export function isPastOwnExpiry(value: Record<string, unknown>, nowMs: number): boolean {
  const exp = value.exp;
  if (typeof exp === "number" && Number.isFinite(exp) && exp * 1000 <= nowMs) return true;

  const expires = value.expires;
  let at = Number.NaN;
  if (expires instanceof Date) at = expires.getTime();
  else if (typeof expires === "string") at = Date.parse(expires);
  else if (typeof expires === "number") at = expires;
  return Number.isFinite(at) && at <= nowMs;
}

/** A non-empty plain object: what the cache accepts as a session token or a profile. */
export function isFilledRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(value).length > 0;
}
