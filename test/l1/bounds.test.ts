/**
 * The tier's last bounds, seen from the cache: no entry outlives `ttlMs` even when every message
 * is lost, the entry count stays under `maxEntries`, and on Upstash (no pub/sub) the TTL is all
 * there is. Plus what the metrics see of it.
 */
import { describe, expect, inject, it } from "vitest";
import type { CacheEvent } from "../../src/cache/events.js";
import { createAuthCache } from "../../src/index.js";
import { createCacheStats } from "../../src/metrics/stats.js";
import { memoryStore } from "../../src/stores/memory.js";
import type { Store } from "../../src/stores/types.js";
import { upstashStore } from "../../src/stores/upstash.js";
import { prefix, until } from "./support.js";

const session = (sessionId: string) => ({ sessionId, userId: "u1", issuedAt: Date.now() - 1000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("L1 bounds", () => {
  it("never serves an entry longer than ttlMs, even when the invalidation is lost", async () => {
    const store = memoryStore();
    const cache = createAuthCache({ store, l1: { ttlMs: 150 } });
    await cache.cacheUserProfile("u1", { name: "Ada" });
    expect((await cache.checkSession(session("s1"))).revoked).toBe(false);
    expect((await cache.getUserProfile("u1"))?.name).toBe("Ada");
    const filledAt = performance.now();

    // Changed behind the cache's back: no announcement reaches its tier.
    await store.extend(cache.keys.blacklist("s1"), "1", 60_000);
    const other = createAuthCache({ store: bare(store) });
    await other.cacheUserProfile("u1", { name: "Grace" });

    expect((await cache.checkSession(session("s1"))).revoked).toBe(false);
    expect((await cache.getUserProfile("u1"))?.name).toBe("Ada");

    await until(async () => (await cache.checkSession(session("s1"))).revoked, 1000, "expiry");
    expect(performance.now() - filledAt).toBeGreaterThanOrEqual(140);
    await until(async () => (await cache.getUserProfile("u1"))?.name === "Grace", 1000, "expiry");
    expect(performance.now() - filledAt).toBeLessThan(1000);
    await cache.close();
  });

  it("keeps at most maxEntries, dropping the least recently used", async () => {
    const cache = createAuthCache({ l1: { maxEntries: 3 } });
    await cache.cacheUserProfile("u1", { name: "Ada" });
    for (let i = 0; i < 10; i++) await cache.checkSession(session(`s${i}`));
    expect(cache.l1?.size).toBe(3);

    let storeCalls = 0;
    cache.on((event) => {
      if (event.type === "store-latency") storeCalls += 1;
    });
    // The three most recent answer from memory; an older one goes back to the store.
    for (const id of ["s7", "s8", "s9"]) await cache.checkSession(session(id));
    expect(storeCalls).toBe(0);
    await cache.checkSession(session("s0"));
    expect(storeCalls).toBe(1);
    await cache.close();
  });

  it("caches no revoked answer and no profile still to be loaded", async () => {
    let loads = 0;
    const cache = createAuthCache({
      l1: true,
      loadUser: async () => {
        loads += 1;
        return { name: "Ada" };
      },
    });
    await cache.revokeSession("u1", "gone");
    expect((await cache.checkSession(session("gone"))).revoked).toBe(true);
    expect(cache.l1?.size).toBe(0);

    // The first check loads the profile and writes it back; only the next one, which finds it in
    // the store, is kept, so hits never go back to the loader.
    await cache.checkSession(session("s1"));
    expect(cache.l1?.size).toBe(0);
    await cache.checkSession(session("s1"));
    expect(cache.l1?.size).toBe(1);
    for (let i = 0; i < 5; i++) await cache.checkSession(session("s1"));
    expect(loads).toBe(1);
    await cache.close();
  });

  it("on Upstash, which has no pub/sub, lives on its TTL alone", async () => {
    const servers = inject("servers");
    const shared = prefix();
    const a = createAuthCache({
      store: upstashStore(servers.upstash),
      prefix: shared,
      l1: { ttlMs: 150 },
    });
    const b = createAuthCache({
      store: upstashStore(servers.upstash),
      prefix: shared,
      l1: { ttlMs: 150 },
    });
    expect(b.l1).toMatchObject({ mode: "ttl-only", active: true });

    await a.cacheUserProfile("u1", { name: "Ada" });
    expect((await b.checkSession(session("s1"))).revoked).toBe(false);
    await a.revokeSession("u1", "s1");
    // B cannot hear it: until its entry expires, it still answers from memory.
    expect((await b.checkSession(session("s1"))).revoked).toBe(false);
    await sleep(160);
    expect((await b.checkSession(session("s1"))).reason).toBe("blacklisted");
    await Promise.all([a.close(), b.close()]);
  });
});

describe("L1 in the metrics", () => {
  it("reports hits and misses per tier, and an L1 miss does not count twice", async () => {
    const cache = createAuthCache({ l1: true });
    const events: CacheEvent[] = [];
    cache.on((event) => events.push(event));
    const stats = createCacheStats(cache);
    await cache.cacheUserProfile("u1", { name: "Ada" });

    await cache.checkSession(session("s1"));
    await cache.checkSession(session("s1"));
    await cache.checkSession(session("s1"));

    const hits = stats.snapshot().hits;
    // Each check looks up the revocation state and the profile: two lookups per check.
    expect(hits.byTier.l1).toEqual({ hits: 4, misses: 2, ratio: 2 / 3 });
    expect(hits.byTier.store).toEqual({ hits: 1, misses: 0, ratio: 1 });
    // Profiles: one store hit, then two L1 hits; the L1 miss that preceded the store hit is
    // only in the tier's own figures.
    expect(hits.byKind.profile).toEqual({ hits: 3, misses: 0, ratio: 1 });
    expect(events.filter((e) => e.type === "hit" && e.tier === "l1")).toHaveLength(4);
    stats.stop();
    await cache.close();
  });
});

/** The store's data operations only: a second cache on it that announces nothing. */
function bare(store: Store): Store {
  return {
    kind: store.kind,
    get: (k) => store.get(k),
    write: (k, v, t, c) => store.write(k, v, t, c),
    extend: (k, v, t) => store.extend(k, v, t),
    raise: (k, n, t) => store.raise(k, n, t),
    del: (k) => store.del(k),
    ttl: (k) => store.ttl(k),
    indexAdd: (i, m, e, meta, n) => store.indexAdd(i, m, e, meta, n),
    indexList: (i, n) => store.indexList(i, n),
    indexRemove: (i, m) => store.indexRemove(i, m),
    ping: () => store.ping(),
    close: async () => {},
  };
}
