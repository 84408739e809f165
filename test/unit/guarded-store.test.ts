import { describe, expect, it } from "vitest";
import type { CacheEvent } from "../../src/cache/events.js";
import { StoreUnavailableError } from "../../src/errors.js";
import { createAuthCache } from "../../src/index.js";
import { memoryStore } from "../../src/stores/memory.js";
import type { Store } from "../../src/stores/types.js";

/** A store whose calls never answer, like a Redis server frozen mid-request. */
function frozenStore(): Store & { calls: number } {
  const base = memoryStore();
  const never = () => new Promise<never>(() => {});
  const store = {
    ...base,
    kind: "frozen",
    calls: 0,
    get: () => {
      store.calls += 1;
      return never();
    },
    write: never,
    extend: never,
    raise: never,
  };
  return store;
}

describe("guarded store", () => {
  it("fails a call that hangs after the timeout, with a typed error", async () => {
    const cache = createAuthCache({ store: frozenStore(), timeoutMs: 50 });
    const started = performance.now();

    await expect(cache.store.get(["k"])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("opens the breaker after repeated failures, so later calls fail without waiting", async () => {
    const events: CacheEvent[] = [];
    const store = frozenStore();
    const cache = createAuthCache({ store, timeoutMs: 20, onEvent: (e) => events.push(e) });

    for (let i = 0; i < 5; i++) await cache.store.get(["k"]).catch(() => undefined);
    const callsWhenOpen = store.calls;
    const started = performance.now();
    await cache.store.get(["k"]).catch(() => undefined);

    expect(performance.now() - started).toBeLessThan(10);
    expect(store.calls).toBe(callsWhenOpen);
    expect(cache.store.breakerState).toBe("open");
    expect(events).toContainEqual({ type: "breaker", store: "frozen", state: "open" });
  });

  it("serves profiles from the loader while the store hangs, and reads stay within the timeout", async () => {
    const cache = createAuthCache({
      store: frozenStore(),
      timeoutMs: 50,
      loadUser: async (id) => ({ id }),
    });
    const started = performance.now();

    expect(await cache.getUserProfile("u1")).toEqual({ id: "u1" });
    expect(await cache.getJWTSession("s1")).toBeNull();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("answers a revocation check by the failure policy when the store is down", async () => {
    const allow = createAuthCache({ store: frozenStore(), timeoutMs: 20 });
    const deny = createAuthCache({ store: frozenStore(), timeoutMs: 20, onStoreDown: "deny" });
    const input = { sessionId: "s1", userId: "u1", issuedAt: Date.now() };

    expect(await allow.checkSession(input)).toMatchObject({ revoked: false, storeDown: true });
    expect(await deny.checkSession(input)).toMatchObject({
      revoked: true,
      storeDown: true,
      reason: "store-down",
    });
  });

  it("tells the caller when a revocation could not be acknowledged", async () => {
    const cache = createAuthCache({ store: frozenStore(), timeoutMs: 20 });
    await expect(cache.blacklistSession("s1")).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(cache.revokeUserSessions("u1")).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
