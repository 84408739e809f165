/**
 * Two app instances with the L1 tier on, each with its own client, on one real Redis (standalone
 * and Cluster): what one changes, the other sees within milliseconds, although it answers from
 * memory between changes.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import type { CacheEvent } from "../../src/cache/events.js";
import { createAuthCache } from "../../src/index.js";
import { memoryStore } from "../../src/stores/memory.js";
import {
  counting,
  type Flavour,
  type Instance,
  instance,
  prefix,
  type Target,
  until,
} from "./support.js";

/** Generous: propagation is a few ms; the bound only has to rule out the TTL doing the work. */
const PROPAGATION_BOUND_MS = 200;

const servers = inject("servers");
const standalone: Target = { url: servers.redisUrl };
const cluster: Target = { clusterNodes: servers.clusterNodes };

const cases: [Flavour, Target][] = [
  ["node-redis url", standalone],
  ["node-redis client", standalone],
  ["ioredis", standalone],
  ["node-redis cluster", cluster],
  ["ioredis cluster", cluster],
];

let open: Instance[] = [];
afterEach(async () => {
  await Promise.all(open.map((i) => i.close()));
  open = [];
});

async function pair(flavour: Flavour, target: Target, options = {}) {
  const shared = { prefix: prefix(), ttlMs: undefined, ...options };
  // A long TTL: anything seen within the bound came over pub/sub, not from an expiry.
  const l1 = { ttlMs: 60_000 };
  const a = await instance(flavour, target, { prefix: shared.prefix, l1 });
  const b = await instance(flavour, target, { prefix: shared.prefix, l1 });
  open.push(a, b);
  return { a: a.cache, b: b.cache };
}

describe.each(cases)("L1 across two instances over %s", (flavour, target) => {
  const session = { sessionId: "s1", userId: "u1", issuedAt: Date.now() - 1000 };

  it("serves a profile updated on one instance to the other within milliseconds", async () => {
    const { a, b } = await pair(flavour, target);
    await a.cacheUserProfile("u1", { name: "Ada" });

    expect((await b.getUserProfile("u1"))?.name).toBe("Ada");
    expect((await b.checkSession(session)).profile?.name).toBe("Ada");
    // Both now come from B's memory.
    expect((await b.getUserProfile("u1"))?.name).toBe("Ada");

    await a.cacheUserProfile("u1", { name: "Ada Lovelace" });
    const ms = await until(
      async () => (await b.getUserProfile("u1"))?.name === "Ada Lovelace",
      PROPAGATION_BOUND_MS,
      "the new profile on B",
    );
    expect(ms).toBeLessThan(PROPAGATION_BOUND_MS);
    expect((await b.checkSession(session)).profile?.name).toBe("Ada Lovelace");

    await a.invalidateUserProfile("u1");
    await until(
      async () => (await b.getUserProfile("u1")) === null,
      PROPAGATION_BOUND_MS,
      "the drop",
    );
  });

  it("reports a session revoked on one instance as revoked on the other within milliseconds", async () => {
    const { a, b } = await pair(flavour, target);
    await a.cacheUserProfile("u1", { name: "Ada" });
    expect((await b.checkSession(session)).revoked).toBe(false);
    expect((await b.checkSession(session)).revoked).toBe(false);

    await a.revokeSession("u1", "s1");
    const ms = await until(
      async () => (await b.checkSession(session)).revoked,
      PROPAGATION_BOUND_MS,
      "the revocation on B",
    );
    expect(ms).toBeLessThan(PROPAGATION_BOUND_MS);
    expect((await b.checkSession(session)).reason).toBe("blacklisted");
  });

  it("signs a user out everywhere on the other instance, keeping the exempted session", async () => {
    const { a, b } = await pair(flavour, target);
    await a.cacheUserProfile("u1", { name: "Ada" });
    const kept = { ...session, sessionId: "kept" };
    expect((await b.checkSession(session)).revoked).toBe(false);
    expect((await b.checkSession(kept)).revoked).toBe(false);

    await a.revokeUserSessions("u1", { except: "kept" });
    await until(
      async () => (await b.checkSession(session)).revoked,
      PROPAGATION_BOUND_MS,
      "sign-out",
    );
    expect((await b.checkSession(session)).reason).toBe("user-revoked");
    expect((await b.checkSession(kept)).revoked).toBe(false);
  });

  it("answers a second check of the same session from memory, with no store call", async () => {
    const prefixed = prefix();
    let counter: ReturnType<typeof counting> | undefined;
    const one = await instance(flavour, target, { prefix: prefixed }, (store) => {
      counter = counting(store);
      return counter.store;
    });
    open.push(one);
    const events: CacheEvent[] = [];
    one.cache.on((event) => events.push(event));
    await one.cache.cacheUserProfile("u1", { name: "Ada" });

    await one.cache.checkSession(session);
    const before = counter!.total();
    events.length = 0;
    const second = await one.cache.checkSession(session);

    expect(second).toMatchObject({ revoked: false, storeDown: false, profile: { name: "Ada" } });
    expect(counter!.total() - before).toBe(0);
    expect(events.filter((e) => e.type === "store-latency")).toEqual([]);
    expect(events).toContainEqual({ type: "hit", kind: "blacklist", tier: "l1" });
    expect(events).toContainEqual({ type: "hit", kind: "profile", tier: "l1" });
  });
});

describe("L1 over one shared memory store", () => {
  it("lets two caches see each other's revocations and profile writes at once", async () => {
    const store = memoryStore();
    const a = createAuthCache({ store, l1: true });
    const b = createAuthCache({ store, l1: true });
    const session = { sessionId: "s1", userId: "u1", issuedAt: Date.now() - 1000 };

    await a.cacheUserProfile("u1", { name: "Ada" });
    expect((await b.checkSession(session)).profile?.name).toBe("Ada");
    expect(b.l1?.size).toBe(1);

    await a.cacheUserProfile("u1", { name: "Grace" });
    expect(b.l1?.size).toBe(0);
    expect((await b.checkSession(session)).profile?.name).toBe("Grace");

    await a.revokeSession("u1", "s1");
    expect((await b.checkSession(session)).reason).toBe("blacklisted");
    await Promise.all([a.close(), b.close()]);
  });
});
