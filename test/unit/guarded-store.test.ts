import { describe, expect, it } from "vitest";
import { type CacheEvent, EventHub } from "../../src/cache/events.js";
import { InvalidOptionError, StoreUnavailableError } from "../../src/errors.js";
import { guardStore } from "../../src/guard/guarded-store.js";
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

/** A store whose `get` calls wait until the test lets them all answer. */
function heldStore(): Store & { calls: number; release: () => void } {
  const base = memoryStore();
  let waiting: (() => void)[] = [];
  const store = {
    ...base,
    kind: "held",
    calls: 0,
    get: (keys: readonly string[]) => {
      store.calls += 1;
      return new Promise<(string | null)[]>((resolve) => {
        waiting.push(() => resolve(keys.map(() => null)));
      });
    },
    release: () => {
      for (const answer of waiting) answer();
      waiting = [];
    },
  };
  return store;
}

describe("guarded store, protecting the app from the store", () => {
  it("stops sending once a thousand timed-out calls are still unanswered, and resumes when they drain", async () => {
    const store = heldStore();
    const events: CacheEvent[] = [];
    const cache = createAuthCache({
      store,
      timeoutMs: 10,
      // Kept closed, so only the backlog limit can stop the calls.
      breaker: { threshold: Number.POSITIVE_INFINITY },
      onEvent: (e) => events.push(e),
    });

    await Promise.all(Array.from({ length: 1000 }, () => cache.store.get(["k"]).catch(() => null)));
    expect(store.calls).toBe(1000);

    const refused = await cache.store.get(["k"]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(store.calls).toBe(1000);
    expect(events.at(-1)).toMatchObject({ type: "error", op: "get", code: "BACKLOG" });

    store.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const answered = cache.store.get(["k"]);
    store.release();
    expect(await answered).toEqual([null]);
    expect(store.calls).toBe(1001);
  });

  it("passes a caller's mistake through as it is, without counting it against the store", async () => {
    const base = memoryStore();
    const store: Store = {
      ...base,
      kind: "picky",
      raise: async () => {
        throw new InvalidOptionError("n", "must be a finite number");
      },
    };
    const events: CacheEvent[] = [];
    const cache = createAuthCache({
      store,
      timeoutMs: 50,
      breaker: { threshold: 1 },
      onEvent: (e) => events.push(e),
    });

    await expect(cache.store.raise("k", Number.NaN, 1000)).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
    expect(cache.store.breakerState).toBe("closed");
    expect(events.some((e) => e.type === "error")).toBe(false);
  });

  it("logs one line when the store goes down and one when it is back, not one per failed call", async () => {
    let t = 0;
    let down = true;
    const lines: string[] = [];
    const record = (level: string) => (_: Record<string, unknown>, msg?: string) =>
      lines.push(`${level}: ${msg}`);
    const logger = {
      error: record("error"),
      warn: record("warn"),
      info: record("info"),
      debug: record("debug"),
    };
    const base = memoryStore();
    const flaky: Store = {
      ...base,
      kind: "flaky",
      get: (keys) => (down ? Promise.reject(new Error("connection refused")) : base.get(keys)),
    };
    const store = guardStore(flaky, {
      timeoutMs: 0,
      breakerThreshold: 5,
      breakerCooldownMs: 500,
      logger,
      events: new EventHub(),
      now: () => t,
    });

    // Two hundred failing calls over ten seconds of outage, probes included.
    for (let i = 0; i < 200; i++) {
      t += 50;
      await store.get(["k"]).catch(() => null);
    }
    down = false;
    t += 500;
    await store.get(["k"]);
    await store.get(["k"]);

    const loud = lines.filter((line) => !line.startsWith("debug"));
    expect(loud).toEqual([
      "warn: store call failed",
      "warn: store unavailable, serving fallbacks",
      "info: store available again",
    ]);
  });
});

describe("a store whose client package is missing", () => {
  it("falls back, and says once, at error level, what to install", async () => {
    const { MissingDependencyError } = await import("../../src/errors.js");
    const missing = () => Promise.reject(new MissingDependencyError("redis"));
    const base = memoryStore();
    const store: Store = { ...base, kind: "redis", get: missing, write: missing };
    const lines: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
    const logger = {
      error: (obj: Record<string, unknown>, msg?: string) => void lines.push({ obj, msg }),
      warn: () => {},
      info: () => {},
      debug: () => {},
    };
    const cache = createAuthCache({ store, logger, loadUser: async (id) => ({ id }) });

    for (let i = 0; i < 3; i++) expect(await cache.getUserProfile("u1")).toEqual({ id: "u1" });

    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toBe("install redis to use this store");
    expect(lines[0]?.obj).toEqual({ store: "redis", pkg: "redis" });
  });
});
