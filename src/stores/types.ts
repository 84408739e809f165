/**
 * The contract every authcache store implements.
 *
 * A store is a small set of semantic operations rather than raw Redis commands, so that each one
 * can be atomic on its own backend: a Lua script on Redis and Upstash, a plain synchronous step in
 * memory. Values are opaque strings produced by the cache's envelope codec; the store only ever
 * looks inside them for the version field that `write` compares (see `readVersion`).
 *
 * Units: every TTL and every time is in milliseconds. Every key a store writes gets a TTL > 0;
 * no operation ever leaves a key without one, and no operation silently shortens one unless it
 * says so (`write` replaces the TTL, `extend` and `raise` never shorten it).
 *
 * Keys that one operation touches always share a Redis Cluster hash tag (the caller guarantees
 * it, see `cache/keys.ts`); operations that take a list of unrelated keys (`get`, `del`) may be
 * split per slot by the store, and run in parallel so they cost one round trip of latency.
 */
export interface Store {
  /** A short, stable name for logs, metrics and health output: "memory", "redis", "upstash". */
  readonly kind: string;

  /** Reads many keys at once, in one round trip of latency. A missing key is `null`. */
  get(keys: readonly string[]): Promise<(string | null)[]>;

  /**
   * Writes `value` with a TTL of `ttlMs`, replacing any previous value and TTL, unless a
   * condition refuses the write. Returns whether the value was written.
   * - `unlessExists`: a key in the same slot; when it exists the write is skipped. This is how a
   *   write-back racing a sign-out cannot recreate a revoked session.
   * - `ifNewer`: the write is skipped when the stored value's version (see `readVersion`) is
   *   greater than the new value's. This is how a stale read cannot overwrite a newer profile.
   */
  write(key: string, value: string, ttlMs: number, condition?: WriteCondition): Promise<boolean>;

  /**
   * Creates the key with `value` if absent, and makes its TTL at least `ttlMs`: an existing,
   * longer TTL is kept, a shorter one is lengthened. The stored value of an existing key is kept.
   */
  extend(key: string, value: string, ttlMs: number): Promise<void>;

  /**
   * Keeps the largest number ever written under `key` (a watermark): writes `n` when the key is
   * absent or holds a smaller number. Its TTL becomes at least `ttlMs`, never shorter.
   */
  raise(key: string, n: number, ttlMs: number): Promise<void>;

  /** Deletes keys; returns how many existed. */
  del(keys: readonly string[]): Promise<number>;

  /** Remaining TTL in ms, or `null` when the key does not exist. Never -1: see the TTL rule. */
  ttl(key: string): Promise<number | null>;

  /**
   * Adds `member` to a per-owner index of expiring members, atomically:
   * - the index is a sorted set at `index.set` scored by expiry time (ms since epoch) and a hash at
   *   `index.meta` holding each member's metadata string; both keys share one hash tag;
   * - members whose expiry is at or before `nowMs` are removed from both;
   * - both keys' TTLs become at least `expiresAt - nowMs`;
   * - when `limit` is given and more members remain, those expiring first are removed, so one
   *   owner's index stays bounded whatever happens.
   */
  indexAdd(
    index: IndexKeys,
    member: string,
    expiresAt: number,
    meta: string,
    nowMs: number,
    limit?: number,
  ): Promise<void>;

  /** Live members (expiry after `nowMs`), earliest expiry first; expired ones are pruned. */
  indexList(index: IndexKeys, nowMs: number): Promise<IndexEntry[]>;

  /** Removes members from the index and their metadata. */
  indexRemove(index: IndexKeys, members: readonly string[]): Promise<void>;

  /** A cheap liveness round trip. Resolves when the store answered. */
  ping(): Promise<void>;

  /** Releases connections the store opened itself. A client passed in by the user is left open. */
  close(): Promise<void>;

  /**
   * Optional: sends `message` to every subscriber of `channel`, on every instance sharing the
   * store. Resolves once the store took the message; delivery itself is at most once. A store
   * without it cannot tell other instances to drop what they keep in process.
   */
  publish?(channel: string, message: string): Promise<void>;

  /**
   * Optional: listens to `channel` until the returned function is called. The store reports the
   * subscription's health to `listener`: `up` only once it has confirmed that a message
   * published from now on will arrive (after the first subscription, and again after every
   * reconnection), `down` as soon as messages may be missed. Opening happens in the background;
   * failures are reported as `down`, never thrown.
   */
  subscribe?(channel: string, listener: BusListener): () => Promise<void>;
}

/** What a subscription reports to its owner (see `Store.subscribe`). */
export interface BusListener {
  /** A message published on the channel, by any instance (this one included). */
  message(message: string): void;
  /** From now on every published message arrives; earlier ones may have been missed. */
  up(): void;
  /** Messages may be missed from now on, until the next `up`. */
  down(): void;
}

export interface WriteCondition {
  unlessExists?: string;
  ifNewer?: boolean;
}

export interface IndexKeys {
  set: string;
  meta: string;
}

export interface IndexEntry {
  member: string;
  expiresAt: number;
  meta: string | null;
}

/**
 * Values are written as `v1|<version>|<body>`: the version is a non-negative integer (ms since
 * epoch when the value was read from its source) that `write(..., { ifNewer: true })` compares.
 * Keeping it as a fixed prefix lets a Lua script read it without decoding the body.
 */
export const ENVELOPE_PREFIX = "v1|";

/** The version of an envelope string, or 0 when it has none. */
export function readVersion(value: string | null): number {
  if (value === null || !value.startsWith(ENVELOPE_PREFIX)) return 0;

  const end = value.indexOf("|", ENVELOPE_PREFIX.length);
  if (end < 0) return 0;

  const n = Number(value.slice(ENVELOPE_PREFIX.length, end));
  return Number.isFinite(n) ? n : 0;
}
