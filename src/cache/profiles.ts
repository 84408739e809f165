import { UnstorableValueError } from "../errors.js";
import { userOwner } from "./bus.js";
import { type CacheContext, isFilledRecord, isPastOwnExpiry, ttlMs } from "./context.js";
import type { CacheTier } from "./events.js";
import { assertId } from "./keys.js";
import { SingleFlight } from "./single-flight.js";
import type { Profile } from "./types.js";

/**
 * User profiles, read through to the app's `loadUser`.
 *
 * Every profile write carries a version: the time its data was read from the source. The store
 * refuses a write older than what it holds, and an invalidation leaves a tombstone stamped with
 * its own time, so a slow load that started before an update or an invalidation can never put
 * the older data back.
 */
export class Profiles {
  readonly #ctx: CacheContext;
  readonly #loads = new SingleFlight<Profile | null>();

  constructor(ctx: CacheContext) {
    this.#ctx = ctx;
  }

  /** Writes the profile and, once the store took it, drops every instance's L1 copy. */
  async cache(userId: string, profile: Profile, ttl?: number): Promise<boolean> {
    const written = await this.#write(userId, profile, ttl);
    if (written) await this.#ctx.bus.announce([userOwner(userId)]);
    else this.#ctx.l1?.drop([userOwner(userId)]);
    return written;
  }

  async #write(userId: string, profile: Profile, ttl?: number, version?: number): Promise<boolean> {
    assertId("user id", userId);
    if (!isFilledRecord(profile))
      throw new UnstorableValueError("$", "a profile must be a non-empty plain object");

    const { keys, codec, store, options, now } = this.#ctx;
    const key = keys.profile(userId);
    const sealed = await codec.seal(profile, version ?? now(), key);
    const ms = ttlMs(ttl, options.ttl.profile, "profile");

    try {
      return await store.write(key, sealed, ms, { ifNewer: true });
    } catch {
      return false;
    }
  }

  /** The cached profile only; `undefined` when the store could not be read. */
  async peek(userId: string): Promise<Profile | null | undefined> {
    assertId("user id", userId);
    const { keys, store, l1, events } = this.#ctx;
    const key = keys.profile(userId);

    // The L1 keeps the stored text, not the object: every caller gets its own copy to change.
    const l1Key = `p:${userId}`;
    const kept = l1?.get<string>(l1Key);
    if (kept !== undefined) {
      const profile = await this.open(kept, key, "l1");
      if (profile) return profile;
    }
    const ticket = l1?.ticket();
    if (ticket && kept === undefined) events.emit({ type: "miss", kind: "profile", tier: "l1" });

    let text: string | null | undefined;
    try {
      [text] = await store.get([key]);
    } catch {
      return undefined;
    }
    const profile = await this.open(text ?? null, key);
    if (profile && ticket && text) l1?.set(l1Key, text, [userOwner(userId)], ticket);
    return profile;
  }

  /** Decodes a profile read as part of a larger round trip; misses are `null`. */
  async open(text: string | null, key: string, tier: CacheTier = "store"): Promise<Profile | null> {
    const opened = await this.#ctx.codec.open(text, key);
    const value = opened.state === "value" ? opened.value : null;
    const hit = isFilledRecord(value) && !isPastOwnExpiry(value, this.#ctx.now());

    this.#ctx.events.emit({ type: hit ? "hit" : "miss", kind: "profile", tier });
    return hit ? (value as Profile) : null;
  }

  async get(userId: string): Promise<Profile | null> {
    const cached = await this.peek(userId);
    if (cached) return cached;
    return this.load(userId, cached === undefined ? "store-down" : "miss");
  }

  /** Loads from the source once per user at a time, and writes the result back. */
  load(userId: string, reason: "store-down" | "miss"): Promise<Profile | null> {
    assertId("user id", userId);
    const { loadUser, events, now } = this.#ctx;
    if (!loadUser) return Promise.resolve(null);

    return this.#loads.run(userId, async () => {
      events.emit({ type: "fallback", kind: "profile", reason });
      const startedAt = now();
      const profile = await loadUser(userId);
      if (!isFilledRecord(profile)) return null;

      // A profile that cannot be stored is still served; only caching it is skipped. It is
      // stamped a millisecond before the load began, so that an invalidation or an update made
      // in the same millisecond, which the load may not have seen, always wins.
      // A write-back fills a key that held nothing, which no L1 keeps (a missing profile is
      // never cached while `loadUser` exists), so there is nothing to announce.
      if (reason === "miss") {
        await this.#write(userId, profile, undefined, startedAt - 1).catch(() => false);
      }
      return profile;
    });
  }

  async invalidate(userId: string): Promise<void> {
    assertId("user id", userId);
    const { keys, codec, store, options, now, bus } = this.#ctx;
    await store.write(keys.profile(userId), codec.tombstone(now()), options.ttl.profile * 1000);
    await bus.announce([userOwner(userId)]);
  }
}
