import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REVOCATION_GRACE_MS } from "../../src/cache/revocation.js";
import type { AuthCache, AuthCacheOptions } from "../../src/cache/types.js";
import { InvalidIdError, MissingSecretError, UnstorableValueError } from "../../src/errors.js";
import { createAuthCache } from "../../src/index.js";
import type { Store } from "../../src/stores/types.js";

const SECRET = "conformance-secret-with-enough-entropy-0123456789";
const DAY = 24 * 3600;

/**
 * The behaviour every store must give the cache, run once per store. Each test uses its own key
 * prefix, so stores that share a server (and test files that run in parallel) never collide.
 */
export function runCacheConformance(
  name: string,
  make: () => Promise<{ store: Store; dispose(): Promise<void> }>,
  variant: { title?: string; options?: AuthCacheOptions } = {},
): void {
  describe(`AuthCache over ${name}${variant.title ?? ""}`, () => {
    let backend: { store: Store; dispose(): Promise<void> };
    let store: Store;
    let prefix: string;

    beforeAll(async () => {
      backend = await make();
      store = backend.store;
    });

    beforeEach(() => {
      prefix = `t${Math.random().toString(36).slice(2, 10)}`;
    });

    afterAll(async () => {
      await backend?.dispose();
    });

    // Caches are closed after each test: with the L1 tier each holds a subscription.
    let made: AuthCache[] = [];
    afterEach(async () => {
      await Promise.all(made.map((cache) => cache.close()));
      made = [];
    });

    const cacheWith = async (extra: AuthCacheOptions = {}) => {
      const cache = createAuthCache({
        store: closeless(store),
        prefix,
        secret: SECRET,
        timeoutMs: 2000,
        ...variant.options,
        ...extra,
      });
      made.push(cache);
      // With the L1 tier, wait until it answers, so the tests run through it.
      if (variant.options?.l1) await waitUntil(() => cache.l1?.active === true);
      return cache;
    };

    it("returns string ids from the email map exactly as they were cached", async () => {
      const cache = await cacheWith();
      const ids = ["42", "0012", "106242075399214372653"];

      for (const [i, id] of ids.entries())
        await cache.cacheEmailToUserId(`user${i}@example.com`, id);

      for (const [i, id] of ids.entries()) {
        const got = await cache.getUserIdByEmail(`user${i}@example.com`);
        expect(typeof got).toBe("string");
        expect(got).toBe(id);
      }
    });

    it("finds the email map whatever the email's case and surrounding space", async () => {
      const cache = await cacheWith();
      await cache.cacheEmailToUserId("Ada@Example.COM", "u-ada");
      expect(await cache.getUserIdByEmail("  ada@example.com ")).toBe("u-ada");
    });

    it("never puts the email itself into a key or a value", async () => {
      const cache = await cacheWith();
      await cache.cacheEmailToUserId("secret.person@example.com", "u1");

      const hashKey = cache.keys.email("x").replace(":{e:x}:uid", "");
      expect(hashKey).not.toContain("@");
      const [direct] = await store.get([`${prefix}:{e:secret.person@example.com}:uid`]);
      expect(direct).toBeNull();
    });

    it("refuses email mapping without a secret, with a typed error", async () => {
      const cache = createAuthCache({ store, prefix });
      await expect(cache.cacheEmailToUserId("a@example.com", "u1")).rejects.toBeInstanceOf(
        MissingSecretError,
      );
    });

    it("gives back a Date field as a Date of the same time", async () => {
      const cache = await cacheWith();
      const emailVerified = new Date("2024-01-02T03:04:05Z");
      await cache.cacheUserProfile("u1", { name: "Ada", emailVerified });

      const profile = await cache.getUserProfile("u1");
      expect(profile?.emailVerified).toBeInstanceOf(Date);
      expect((profile!.emailVerified as Date).getTime()).toBe(emailVerified.getTime());
    });

    it("gives back a BigInt field as the same BigInt, and reading it never throws", async () => {
      const cache = await cacheWith();
      await cache.cacheUserProfile("u1", { name: "Ada", credits: 12345678901234567890n });

      const profile = await cache.getUserProfile("u1");
      expect(profile?.credits).toBe(12345678901234567890n);
    });

    it("keeps numeric-looking strings, nested objects and an $ac key intact", async () => {
      const cache = await cacheWith();
      const profile = { id: "0012", nested: { $ac: "date", v: "not a tag" }, list: ["1", 2, null] };
      await cache.cacheUserProfile("u1", profile);
      expect(await cache.getUserProfile("u1")).toEqual(profile);
    });

    it("rejects a value it cannot store with a typed error at the call", async () => {
      const cache = await cacheWith();
      const cyclic: Record<string, unknown> = { name: "x" };
      cyclic.self = cyclic;

      await expect(cache.cacheUserProfile("u1", cyclic)).rejects.toBeInstanceOf(
        UnstorableValueError,
      );
      await expect(cache.cacheUserProfile("u1", { f: () => 1 })).rejects.toBeInstanceOf(
        UnstorableValueError,
      );
    });

    it("answers null for a session that was never cached", async () => {
      expect(await (await cacheWith()).getJWTSession("missing")).toBeNull();
    });

    it("treats an empty object stored by mistake as a miss", async () => {
      const cache = await cacheWith();
      await store.write(cache.keys.session("s-empty"), "v1|1|j{}", 60_000);
      await store.write(cache.keys.profile("u-empty"), "v1|1|j{}", 60_000);

      expect(await cache.getJWTSession("s-empty")).toBeNull();
      expect(await cache.getUserProfile("u-empty")).toBeNull();
    });

    it("treats a value past its own exp as a miss and does not extend its TTL", async () => {
      const cache = await cacheWith();
      const exp = Math.floor(Date.now() / 1000) - 10;
      await cache.cacheJWTSession("s-old", { sub: "u1", exp }, 600);
      const before = await store.ttl(cache.keys.session("s-old"));

      expect(await cache.getJWTSession("s-old")).toBeNull();
      const after = await store.ttl(cache.keys.session("s-old"));
      expect(after).not.toBeNull();
      expect(after!).toBeLessThanOrEqual(before!);
    });

    it("keeps a session's TTL within (0, 1800] s after it is updated", async () => {
      const cache = await cacheWith();
      await cache.cacheJWTSession("s1", { sub: "u1", name: "Ada" }, 1800);
      await cache.cacheJWTSession("s1", { sub: "u1", name: "Ada Lovelace" });

      const ttl = await store.ttl(cache.keys.session("s1"));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl!).toBeLessThanOrEqual(1800_000);
      expect((await cache.getJWTSession("s1"))?.name).toBe("Ada Lovelace");
    });

    it("gives every key it writes a TTL greater than zero", async () => {
      const cache = await cacheWith();
      const expiresAt = Date.now() + 3600_000;
      await cache.startSession(
        { userId: "u1", sessionId: "s1", createdAt: Date.now(), expiresAt },
        { sub: "u1" },
      );
      await cache.cacheUserProfile("u1", { name: "Ada" });
      await cache.cacheEmailToUserId("ada@example.com", "u1");
      await cache.blacklistSession("s2");
      await cache.revokeUserSessions("u2", { except: "s3" });
      await cache.invalidateUserProfile("u3");
      await cache.invalidateJWTSession("s4");

      const { keys } = cache;
      const written = [
        keys.session("s1"),
        keys.live("s1"),
        keys.index("u1").set,
        keys.index("u1").meta,
        keys.profile("u1"),
        keys.blacklist("s2"),
        keys.watermark("u2"),
        keys.keep("s3"),
        keys.profile("u3"),
        keys.session("s4"),
      ];
      for (const key of written) {
        const ttl = await store.ttl(key);
        expect(ttl, key).not.toBeNull();
        expect(ttl!, key).toBeGreaterThan(0);
        expect(ttl!, key).toBeLessThan(Number.POSITIVE_INFINITY);
      }
    });

    it("blacklists a 30-day token for at least its remaining life, not 24 hours", async () => {
      const cache = await cacheWith();
      const expiresAt = Date.now() + 30 * DAY * 1000;
      await cache.blacklistSession("s30", { expiresAt, ttl: DAY });

      const ttl = await store.ttl(cache.keys.blacklist("s30"));
      expect(ttl!).toBeGreaterThan(30 * DAY * 1000 - 60_000);
      expect(await cache.isSessionBlacklisted("s30")).toBe(true);
    });

    it("never shortens a blacklist entry, and revoking another session leaves it alone", async () => {
      const cache = await cacheWith({ ttl: { maxAge: 3600 } });
      await cache.blacklistSession("sA", { expiresAt: Date.now() + 30 * DAY * 1000 });
      const first = await store.ttl(cache.keys.blacklist("sA"));

      await cache.blacklistSession("sB", { expiresAt: Date.now() + 3600_000 });
      await cache.blacklistSession("sA", { expiresAt: Date.now() + 3600_000 });

      const after = await store.ttl(cache.keys.blacklist("sA"));
      expect(after!).toBeGreaterThan(first! - 60_000);
      // sB's entry follows its own expiry (plus the revocation grace), not sA's 30 days.
      expect(await store.ttl(cache.keys.blacklist("sB"))).toBeLessThanOrEqual(
        3600_000 + REVOCATION_GRACE_MS,
      );
    });

    it("does not let a write-back recreate a session revoked meanwhile", async () => {
      const cache = await cacheWith();
      await cache.cacheJWTSession("s1", { sub: "u1" });
      await cache.blacklistSession("s1");
      await cache.cacheJWTSession("s1", { sub: "u1", late: true });
      await cache.touchSession(
        { userId: "u1", sessionId: "s1", createdAt: Date.now(), expiresAt: Date.now() + 60_000 },
        { sub: "u1" },
        Date.now(),
      );

      expect(await cache.getJWTSession("s1")).toBeNull();
      expect(await cache.isSessionBlacklisted("s1")).toBe(true);
      expect(await cache.listUserSessions("u1")).toEqual([]);
    });

    it("does not let a stale profile load overwrite a newer profile", async () => {
      let release: (() => void) | undefined;
      const cache = await cacheWith({
        loadUser: async () => {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          return { name: "Old" };
        },
      });

      const staleRead = cache.getUserProfile("u1");
      await waitFor(() => release !== undefined);
      await cache.cacheUserProfile("u1", { name: "New" });
      release!();

      expect((await staleRead)?.name).toBe("Old");
      expect((await cache.getUserProfile("u1"))?.name).toBe("New");
    });

    it("does not let a load that started before an invalidation put old data back", async () => {
      let release: (() => void) | undefined;
      let calls = 0;
      const cache = await cacheWith({
        loadUser: async () => {
          calls += 1;
          if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
          return { name: calls === 1 ? "Old" : "Fresh" };
        },
      });

      const slow = cache.getUserProfile("u1");
      await waitFor(() => release !== undefined);
      await cache.invalidateUserProfile("u1");
      release!();
      await slow;

      expect((await cache.getUserProfile("u1"))?.name).toBe("Fresh");
    });

    it("loads a cold profile once for 50 concurrent readers", async () => {
      let calls = 0;
      const cache = await cacheWith({
        loadUser: async (id) => {
          calls += 1;
          await sleep(100);
          return { id, name: "Ada" };
        },
      });

      const results = await Promise.all(
        Array.from({ length: 50 }, () => cache.getUserProfile("u1")),
      );
      expect(calls).toBe(1);
      for (const r of results) expect(r).toEqual({ id: "u1", name: "Ada" });
    });

    it("rejects all 50 concurrent readers when the loader fails, and retries on the next call", async () => {
      let calls = 0;
      const cache = await cacheWith({
        loadUser: async (id) => {
          calls += 1;
          await sleep(100);
          if (calls === 1) throw new Error("database down");
          return { id };
        },
      });

      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => cache.getUserProfile("u1")),
      );
      expect(results.every((r) => r.status === "rejected")).toBe(true);
      expect(calls).toBe(1);

      expect(await cache.getUserProfile("u1")).toEqual({ id: "u1" });
      expect(calls).toBe(2);
    });

    it("invalidates a user's session, profile and email mapping together", async () => {
      const cache = await cacheWith();
      await cache.cacheJWTSession("s1", { sub: "u1" });
      await cache.cacheUserProfile("u1", { name: "Ada" });
      await cache.cacheEmailToUserId("ada@example.com", "u1");

      await Promise.all([
        cache.invalidateJWTSession("s1"),
        cache.invalidateUserProfile("u1"),
        cache.invalidateEmail("ada@example.com"),
      ]);
      expect(await cache.getJWTSession("s1")).toBeNull();
      expect(await cache.getUserIdByEmail("ada@example.com")).toBeNull();

      // One call over keys of three different slots, as tooling would issue it.
      const { keys } = cache;
      await cache.cacheJWTSession("s1", { sub: "u1" });
      await cache.cacheEmailToUserId("ada@example.com", "u1");
      const emailKey = await cache.emailKey("ada@example.com");
      expect(await store.del([keys.session("s1"), keys.profile("u1"), emailKey])).toBe(3);
    });

    it("revokes every session of a user started before the watermark, keeping an exempted one", async () => {
      const cache = await cacheWith();
      const t = Date.now();
      await sleep(2);
      const wm = await cache.revokeUserSessions("u1", { except: "keep" });

      const check = (sessionId: string, issuedAt: number) =>
        cache.checkSession({ sessionId, userId: "u1", issuedAt });
      expect((await check("old", t)).reason).toBe("user-revoked");
      expect((await check("keep", t)).revoked).toBe(false);
      expect((await check("new", wm + 1)).revoked).toBe(false);
    });

    it("lists a user's live sessions newest first, without revoked ones", async () => {
      const cache = await cacheWith();
      const now = Date.now();
      const start = (sessionId: string, createdAt: number) =>
        cache.startSession(
          { userId: "u1", sessionId, createdAt, expiresAt: now + 3600_000, userAgent: "Firefox" },
          { sub: "u1" },
        );
      await start("s1", now - 3000);
      await start("s2", now - 2000);
      await start("s3", now - 1000);
      await cache.blacklistSession("s2", { userId: "u1" });

      const list = await cache.listUserSessions("u1");
      expect(list.map((s) => s.sessionId)).toEqual(["s3", "s1"]);
      expect(list[0]?.userAgent).toBe("Firefox");
      expect(list[0]?.createdAt).toBe(now - 1000);
    });

    it("bounds a user's device list, keeping the sessions seen most recently", async () => {
      const cache = await cacheWith({ maxSessionsPerUser: 3 });
      const now = Date.now();
      for (let i = 1; i <= 6; i++) {
        await cache.startSession(
          { userId: "u1", sessionId: `s${i}`, createdAt: now + i, expiresAt: now + 3600_000 + i },
          { sub: "u1" },
        );
      }

      const listed = await cache.listUserSessions("u1");
      expect(listed.map((s) => s.sessionId)).toEqual(["s6", "s5", "s4"]);
    });

    it("signs out a session the store does not know, in strict mode only", async () => {
      const strict = await cacheWith({ strict: true });
      const lax = await cacheWith();
      const input = { sessionId: "ghost", userId: "u1", issuedAt: Date.now() };

      expect((await strict.checkSession(input)).reason).toBe("unknown-session");
      expect((await lax.checkSession(input)).revoked).toBe(false);
    });

    it("honours a watermark persisted by loadUser when the cache holds nothing", async () => {
      const revokedBefore = Date.now();
      const cache = await cacheWith({ loadUser: async () => ({ name: "Ada", revokedBefore }) });

      const check = await cache.checkSession({
        sessionId: "s1",
        userId: "u1",
        issuedAt: revokedBefore - 1,
      });
      expect(check.reason).toBe("user-revoked");
    });

    it("rejects ids that could escape the key prefix", async () => {
      const cache = await cacheWith();
      for (const bad of ["", "a b", "a}{b", "x\n", "a".repeat(257), "{s:victim}"]) {
        await expect(cache.getJWTSession(bad)).rejects.toBeInstanceOf(InvalidIdError);
        await expect(cache.getUserProfile(bad)).rejects.toBeInstanceOf(InvalidIdError);
      }
    });

    it("accepts provider ids such as auth0|… and user/42 as user and session ids", async () => {
      const cache = await cacheWith();
      for (const id of ["auth0|65f0c2d1e4", "google-oauth2|106242075399214372653", "user/42"]) {
        await cache.cacheUserProfile(id, { name: id });
        expect((await cache.getUserProfile(id))?.name).toBe(id);
        await cache.blacklistSession(id);
        expect(await cache.isSessionBlacklisted(id)).toBe(true);
      }
    });

    it("round-trips encrypted values and cannot be read with another secret", async () => {
      const cache = await cacheWith({ encrypt: true });
      await cache.cacheUserProfile("u1", { name: "Ada", since: new Date(0) });
      expect(await cache.getUserProfile("u1")).toEqual({ name: "Ada", since: new Date(0) });

      const [raw] = await store.get([cache.keys.profile("u1")]);
      expect(raw).not.toContain("Ada");
      const other = createAuthCache({ store, prefix, secret: `${SECRET}-other`, encrypt: true });
      expect(await other.getUserProfile("u1")).toBeNull();
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(5);
}

async function waitUntil(condition: () => boolean): Promise<void> {
  await waitFor(condition);
  if (!condition()) throw new Error("the L1 tier never came up");
}

/** The shared store, with `close` left to the suite: each cache closes its own subscription. */
function closeless(store: Store): Store {
  return new Proxy(store, {
    get: (target, prop) => {
      if (prop === "close") return async () => {};
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
