import { InvalidOptionError } from "../errors.js";

/**
 * The in-process L1 tier: a small LRU in front of the store for what every request reads and
 * rarely changes (a session's "not revoked" state, a user's profile). A hit costs no round trip.
 *
 * Three things bound how stale an entry can be:
 * - every change made through authcache drops the entries it concerns, here at once and on the
 *   other instances through the store's pub/sub (see `bus.ts`);
 * - while that subscription is down, messages may be lost, so the tier is bypassed, and it is
 *   emptied when the subscription is confirmed again;
 * - an entry never lives longer than `ttlMs` after the store was asked for it, the last bound
 *   when a message is lost in a way nobody noticed (or when the store has no pub/sub at all).
 *
 * A value read from the store before a drop must not land after it: every fill carries the
 * ticket it took before reading, and a fill whose owner was dropped (or the whole tier flushed)
 * since that ticket is refused.
 */
export interface L1Options {
  /** The most entries kept; the least recently used one goes first. @default 10000 */
  maxEntries?: number;
  /**
   * Milliseconds an entry lives after the store was read for it: the longest a change can take
   * to be seen when its invalidation message is lost. @default 2000
   */
  ttlMs?: number;
}

export const L1_DEFAULTS = { maxEntries: 10_000, ttlMs: 2_000 } as const;

/** What a store read that may fill the tier took before it started. */
export interface L1Ticket {
  readonly seq: number;
  readonly at: number;
}

/** A snapshot of the tier, for health output and tests. */
export interface L1Status {
  /** "pubsub": invalidated across instances; "ttl-only": the store has no pub/sub. */
  readonly mode: "pubsub" | "ttl-only";
  /** Whether the tier answers now (false while the subscription is down, or not yet up). */
  readonly active: boolean;
  readonly size: number;
  readonly maxEntries: number;
  readonly ttlMs: number;
}

interface Entry {
  value: unknown;
  expiresAt: number;
  owners: readonly string[];
}

export class L1Tier {
  readonly maxEntries: number;
  readonly ttlMs: number;
  readonly mode: "pubsub" | "ttl-only";

  readonly #clock: () => number;
  readonly #entries = new Map<string, Entry>();
  /** owner ("s:<sessionId>", "u:<userId>") → keys of the entries it owns */
  readonly #byOwner = new Map<string, Set<string>>();
  /** owner → the sequence number of its last drop, for refusing late fills */
  readonly #dropped = new Map<string, number>();
  #seq = 0;
  /** fills that took their ticket before this sequence number are refused */
  #floor = 0;
  #active: boolean;
  #onFirstUse: (() => void) | undefined;

  constructor(
    options: L1Options,
    init: { mode: "pubsub" | "ttl-only"; clock?: () => number; onFirstUse?: () => void },
  ) {
    const { maxEntries, ttlMs } = resolveL1Options(options);
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
    this.mode = init.mode;
    this.#clock = init.clock ?? (() => performance.now());
    this.#onFirstUse = init.onFirstUse;
    // With pub/sub, nothing is trusted until the subscription is confirmed.
    this.#active = init.mode === "ttl-only";
  }

  get status(): L1Status {
    return {
      mode: this.mode,
      active: this.#active,
      size: this.#entries.size,
      maxEntries: this.maxEntries,
      ttlMs: this.ttlMs,
    };
  }

  /** Whether the tier answers now. */
  get active(): boolean {
    this.#wake();
    return this.#active;
  }

  /** Starts the subscription now rather than on the first lookup (idempotent). */
  start(): void {
    this.#wake();
  }

  /** The live entry under `key`, made most recent; `undefined` on a miss or while bypassed. */
  get<V>(key: string): V | undefined {
    this.#wake();
    if (!this.#active) return undefined;

    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#clock()) {
      this.#delete(key, entry);
      return undefined;
    }

    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value as V;
  }

  /** Taken before a store read whose answer may fill the tier; `undefined` while bypassed. */
  ticket(): L1Ticket | undefined {
    this.#wake();
    return this.#active ? { seq: this.#seq, at: this.#clock() } : undefined;
  }

  /**
   * Keeps `value` under `key`, owned by `owners`, unless one of them was dropped (or the tier
   * flushed or bypassed) since `ticket` was taken. Returns whether it was kept.
   */
  set(key: string, value: unknown, owners: readonly string[], ticket: L1Ticket): boolean {
    if (!this.#active || ticket.seq < this.#floor) return false;
    for (const owner of owners) {
      if ((this.#dropped.get(owner) ?? -1) > ticket.seq) return false;
    }

    const expiresAt = ticket.at + this.ttlMs;
    if (expiresAt <= this.#clock()) return false;

    const previous = this.#entries.get(key);
    if (previous) this.#delete(key, previous);
    this.#entries.set(key, { value, expiresAt, owners });
    for (const owner of owners) {
      let keys = this.#byOwner.get(owner);
      if (!keys) {
        keys = new Set();
        this.#byOwner.set(owner, keys);
      }
      keys.add(key);
    }

    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.entries().next().value;
      if (oldest === undefined) break;
      this.#delete(oldest[0], oldest[1]);
    }
    return true;
  }

  /** Drops every entry the owners own, and refuses fills that read before now. */
  drop(owners: readonly string[]): void {
    this.#seq += 1;
    for (const owner of owners) {
      this.#dropped.set(owner, this.#seq);
      const keys = this.#byOwner.get(owner);
      if (!keys) continue;
      for (const key of [...keys]) {
        const entry = this.#entries.get(key);
        if (entry) this.#delete(key, entry);
      }
    }

    // The drop log only has to outlive the reads in flight; past a bound it is replaced by a
    // floor that refuses every fill older than now, which costs a few misses and no memory.
    if (this.#dropped.size > Math.max(1024, this.maxEntries)) this.#raiseFloor();
  }

  /** Empties the tier; reads in flight do not fill it. */
  flush(): void {
    this.#entries.clear();
    this.#byOwner.clear();
    this.#seq += 1;
    this.#raiseFloor();
  }

  /** The subscription is down: messages may be lost, so the tier stops answering. */
  pause(): void {
    this.#active = false;
    this.flush();
  }

  /** The subscription is confirmed: whatever was kept may have missed messages, so start empty. */
  resume(): void {
    this.flush();
    this.#active = true;
  }

  #raiseFloor(): void {
    this.#seq += 1;
    this.#floor = this.#seq;
    this.#dropped.clear();
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    for (const owner of entry.owners) {
      const keys = this.#byOwner.get(owner);
      keys?.delete(key);
      if (keys?.size === 0) this.#byOwner.delete(owner);
    }
  }

  #wake(): void {
    if (this.#onFirstUse === undefined) return;
    const start = this.#onFirstUse;
    this.#onFirstUse = undefined;
    start();
  }
}

/** `l1: true` or the options object, validated, with defaults. */
export function resolveL1Options(options: L1Options): Required<L1Options> {
  const maxEntries = options.maxEntries ?? L1_DEFAULTS.maxEntries;
  const ttlMs = options.ttlMs ?? L1_DEFAULTS.ttlMs;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new InvalidOptionError("l1.maxEntries", "expected a positive integer");
  }
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new InvalidOptionError("l1.ttlMs", "expected a positive number of milliseconds");
  }
  return { maxEntries, ttlMs };
}
