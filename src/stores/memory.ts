import { InvalidOptionError } from "../errors.js";
import {
  type BusListener,
  type IndexEntry,
  type IndexKeys,
  readVersion,
  type Store,
  type WriteCondition,
} from "./types.js";

/**
 * The embedded store: one process, no server. Entries expire lazily when read (no timer keeps the
 * process alive) and the least recently used entry is evicted when `maxEntries` is reached.
 * Every operation is synchronous inside, so each is atomic as the contract requires.
 *
 * Revocations (what `extend` and `raise` write: blacklist entries, watermarks) are never evicted:
 * a flood of sign-ins pushing a blacklist entry out would let its signed-out cookie back in.
 * They leave only when their TTL ends, and do not count towards `maxEntries`.
 *
 * It is right for development, tests, a demo and single-instance apps. Several instances (or
 * serverless functions) each have their own memory: a revocation made in one is not seen by the
 * others, so use Redis or Upstash there.
 *
 * Its pub/sub is an in-process bus: caches that share one store (`shareAs`, or the same object)
 * hear each other's invalidations at once, and the subscription is never down.
 */
export interface MemoryStoreOptions {
  /**
   * The most cached entries kept before the least recently used is evicted. A signed-in session
   * takes two, plus two per user. Revocations are kept apart and never evicted. @default 100_000
   */
  maxEntries?: number;
  /**
   * Share one store per name across module copies in the same process, through `globalThis`.
   * Next.js bundles its proxy, route handlers and pages apart, each with its own module copies;
   * a named store is the same object in all of them.
   */
  shareAs?: string;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
}

type Data = string | Map<string, number> | Map<string, string>;

interface Entry {
  data: Data;
  expiresAt: number;
}

const REGISTRY = Symbol.for("authcache.memoryStores");

export function memoryStore(options: MemoryStoreOptions = {}): Store {
  if (options.shareAs === undefined) return new MemoryStore(options);

  const g = globalThis as { [REGISTRY]?: Map<string, Store> };
  g[REGISTRY] ??= new Map();
  const registry = g[REGISTRY];
  let store = registry.get(options.shareAs);
  if (!store) {
    store = new MemoryStore(options);
    registry.set(options.shareAs, store);
  }
  return store;
}

class MemoryStore implements Store {
  readonly kind = "memory";
  readonly #entries = new Map<string, Entry>();
  readonly #pinned = new Map<string, Entry>();
  #pinnedWrites = 0;
  readonly #max: number;
  readonly #now: () => number;
  readonly #channels = new Map<string, Set<BusListener>>();

  constructor(options: MemoryStoreOptions) {
    const max = options.maxEntries ?? 100_000;
    if (!Number.isInteger(max) || max < 1) {
      throw new InvalidOptionError("maxEntries", "expected a positive integer");
    }
    this.#max = max;
    this.#now = options.now ?? Date.now;
  }

  async get(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((key) => {
      const data = this.#read(key)?.data;
      return typeof data === "string" ? data : null;
    });
  }

  async write(
    key: string,
    value: string,
    ttlMs: number,
    condition?: WriteCondition,
  ): Promise<boolean> {
    if (condition?.unlessExists !== undefined && this.#read(condition.unlessExists)) return false;

    if (condition?.ifNewer) {
      const current = this.#read(key)?.data;
      if (typeof current === "string" && readVersion(current) > readVersion(value)) return false;
    }

    this.#put(key, value, this.#now() + positive(ttlMs));
    return true;
  }

  async extend(key: string, value: string, ttlMs: number): Promise<void> {
    const until = this.#now() + positive(ttlMs);
    const entry = this.#read(key);

    if (entry) entry.expiresAt = Math.max(entry.expiresAt, until);
    else this.#pin(key, value, until);
  }

  async raise(key: string, n: number, ttlMs: number): Promise<void> {
    const until = this.#now() + positive(ttlMs);
    const entry = this.#read(key);
    const current = typeof entry?.data === "string" ? Number(entry.data) : Number.NaN;

    const value = Number.isFinite(current) && current >= n ? String(current) : String(n);
    this.#pin(key, value, Math.max(entry?.expiresAt ?? 0, until));
  }

  async del(keys: readonly string[]): Promise<number> {
    let count = 0;
    for (const key of keys) {
      if (this.#read(key)) count += 1;
      this.#entries.delete(key);
      this.#pinned.delete(key);
    }
    return count;
  }

  async ttl(key: string): Promise<number | null> {
    const entry = this.#read(key);
    return entry ? entry.expiresAt - this.#now() : null;
  }

  async indexAdd(
    index: IndexKeys,
    member: string,
    expiresAt: number,
    meta: string,
    nowMs: number,
    limit?: number,
  ): Promise<void> {
    const { set, hash } = this.#index(index, nowMs, true);
    set.set(member, expiresAt);
    hash.set(member, meta);

    if (limit !== undefined && limit > 0 && set.size > limit) {
      const byExpiry = [...set.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      for (const [dropped] of byExpiry.slice(0, set.size - limit)) {
        set.delete(dropped);
        hash.delete(dropped);
      }
    }

    const until = this.#now() + Math.max(1, expiresAt - nowMs);
    for (const key of [index.set, index.meta]) {
      const entry = this.#entries.get(key)!;
      entry.expiresAt = Math.max(entry.expiresAt, until);
    }
  }

  async indexList(index: IndexKeys, nowMs: number): Promise<IndexEntry[]> {
    const { set, hash } = this.#index(index, nowMs, false);
    return [...set.entries()]
      .map(([member, score]) => ({ member, expiresAt: score, meta: hash.get(member) ?? null }))
      .sort((a, b) => a.expiresAt - b.expiresAt || a.member.localeCompare(b.member));
  }

  async indexRemove(index: IndexKeys, members: readonly string[]): Promise<void> {
    const { set, hash } = this.#index(index, this.#now(), false);
    for (const member of members) {
      set.delete(member);
      hash.delete(member);
    }
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  async publish(channel: string, message: string): Promise<void> {
    for (const listener of [...(this.#channels.get(channel) ?? [])]) {
      try {
        listener.message(message);
      } catch {
        // One subscriber's fault never reaches the publisher or the other subscribers.
      }
    }
  }

  subscribe(channel: string, listener: BusListener): () => Promise<void> {
    let listeners = this.#channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
    }
    listeners.add(listener);
    listener.up();

    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#channels.get(channel) === listeners) {
        this.#channels.delete(channel);
      }
    };
  }

  /** The entry, unless absent or expired (expired ones are dropped); touching it makes it recent. */
  #read(key: string): Entry | undefined {
    const pinned = this.#pinned.get(key);
    if (pinned) {
      if (pinned.expiresAt > this.#now()) return pinned;
      this.#pinned.delete(key);
      return undefined;
    }

    const entry = this.#entries.get(key);
    if (!entry) return undefined;

    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;

    this.#entries.set(key, entry);
    return entry;
  }

  /** Stores a revocation: out of the LRU, swept of expired ones every thousand writes. */
  #pin(key: string, data: Data, expiresAt: number): void {
    this.#entries.delete(key);
    this.#pinned.set(key, { data, expiresAt });

    this.#pinnedWrites += 1;
    if (this.#pinnedWrites % 1000 !== 0) return;
    const now = this.#now();
    for (const [k, entry] of this.#pinned) {
      if (entry.expiresAt <= now) this.#pinned.delete(k);
    }
  }

  #put(key: string, data: Data, expiresAt: number): void {
    this.#pinned.delete(key);
    this.#entries.delete(key);
    this.#entries.set(key, { data, expiresAt });

    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /** The index's two maps, pruned of members expired at `nowMs`; created when `create`. */
  #index(index: IndexKeys, nowMs: number, create: boolean) {
    let setEntry = this.#read(index.set);
    let hashEntry = this.#read(index.meta);

    if (create && !(setEntry?.data instanceof Map)) {
      setEntry = { data: new Map<string, number>(), expiresAt: this.#now() + 1 };
      this.#put(index.set, setEntry.data, setEntry.expiresAt);
    }
    if (create && !(hashEntry?.data instanceof Map)) {
      hashEntry = { data: new Map<string, string>(), expiresAt: this.#now() + 1 };
      this.#put(index.meta, hashEntry.data, hashEntry.expiresAt);
    }

    const set = (setEntry?.data instanceof Map ? setEntry.data : new Map()) as Map<string, number>;
    const hash = (hashEntry?.data instanceof Map ? hashEntry.data : new Map()) as Map<
      string,
      string
    >;

    for (const [member, score] of set) {
      if (score <= nowMs) {
        set.delete(member);
        hash.delete(member);
      }
    }
    return { set, hash };
  }
}

function positive(ttlMs: number): number {
  return Number.isFinite(ttlMs) && ttlMs >= 1 ? Math.floor(ttlMs) : 1;
}
