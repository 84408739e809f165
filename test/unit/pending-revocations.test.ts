import { describe, expect, it } from "vitest";
import { REVOCATION_GRACE_MS } from "../../src/cache/revocation.js";
import { InvalidOptionError, StoreUnavailableError } from "../../src/errors.js";
import { createAuthCache } from "../../src/index.js";
import { memoryStore } from "../../src/stores/memory.js";
import type { Store } from "../../src/stores/types.js";

/** A memory store whose writes fail while `down` is set, as a store mid-outage would. */
function flakyStore(): Store & { down: boolean } {
  const base = memoryStore();
  const failing =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      store.down ? Promise.reject(new Error("connection refused")) : run(...args);

  const store: Store & { down: boolean } = {
    kind: "flaky",
    down: false,
    get: failing((keys) => base.get(keys)),
    write: failing((key, value, ttl, condition) => base.write(key, value, ttl, condition)),
    extend: failing((key, value, ttl) => base.extend(key, value, ttl)),
    raise: failing((key, n, ttl) => base.raise(key, n, ttl)),
    del: (keys) => base.del(keys),
    ttl: (key) => base.ttl(key),
    indexAdd: (...args) => base.indexAdd(...args),
    indexList: (index, now) => base.indexList(index, now),
    indexRemove: (index, members) => base.indexRemove(index, members),
    ping: () => base.ping(),
    close: () => base.close(),
  };
  return store;
}

async function waitFor(condition: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("revocations the store could not take", () => {
  it("a sign-out during a brief store error holds here at once and reaches the store once it is back", async () => {
    const store = flakyStore();
    const here = createAuthCache({ store, timeoutMs: 100, breaker: { cooldownMs: 50 } });
    const elsewhere = createAuthCache({ store, timeoutMs: 100 });
    const input = { sessionId: "s1", userId: "u1", issuedAt: Date.now() };

    store.down = true;
    await expect(here.blacklistSession("s1")).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await here.isSessionBlacklisted("s1")).toBe(true);
    expect((await here.checkSession(input)).reason).toBe("blacklisted");

    store.down = false;
    await waitFor(() => elsewhere.isSessionBlacklisted("s1"));
    expect((await elsewhere.checkSession(input)).reason).toBe("blacklisted");

    await here.close();
    await elsewhere.close();
  });

  it("a sign-out everywhere during a store error spares the kept session and lands later", async () => {
    const store = flakyStore();
    const here = createAuthCache({ store, timeoutMs: 100, breaker: { cooldownMs: 50 } });
    const elsewhere = createAuthCache({ store, timeoutMs: 100 });
    const issuedAt = Date.now() - 1000;

    store.down = true;
    await expect(here.revokeUserSessions("u1", { except: "kept" })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect((await here.checkSession({ sessionId: "other", userId: "u1", issuedAt })).reason).toBe(
      "user-revoked",
    );
    expect((await here.checkSession({ sessionId: "kept", userId: "u1", issuedAt })).revoked).toBe(
      false,
    );

    store.down = false;
    await waitFor(async () => {
      const check = await elsewhere.checkSession({ sessionId: "other", userId: "u1", issuedAt });
      return check.reason === "user-revoked";
    });
    expect(
      (await elsewhere.checkSession({ sessionId: "kept", userId: "u1", issuedAt })).revoked,
    ).toBe(false);

    await here.close();
    await elsewhere.close();
  });
});

describe("how long a revocation lasts", () => {
  it("outlives the session's max age by the grace Auth.js and in-flight requests need", async () => {
    const store = memoryStore();
    const cache = createAuthCache({ store, ttl: { maxAge: 3600 } });

    await cache.blacklistSession("s1");
    await cache.revokeUserSessions("u1", { except: "s2" });

    for (const key of [
      cache.keys.blacklist("s1"),
      cache.keys.watermark("u1"),
      cache.keys.keep("s2"),
    ]) {
      expect(await store.ttl(key)).toBeGreaterThan(3600_000 + REVOCATION_GRACE_MS - 5000);
    }
  });

  it("refuses a TTL or an expiry that is not a finite number, rather than revoking for 1 ms", async () => {
    const cache = createAuthCache();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 0, -5]) {
      await expect(cache.blacklistSession("s1", bad)).rejects.toBeInstanceOf(InvalidOptionError);
    }
    await expect(
      cache.revokeSession("u1", "s1", "2031-01-01" as unknown as number),
    ).rejects.toBeInstanceOf(InvalidOptionError);
    expect(await cache.isSessionBlacklisted("s1")).toBe(false);
  });
});
