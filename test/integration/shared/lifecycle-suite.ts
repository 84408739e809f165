/**
 * The behaviour `withAuthCache` promises, proven against a real Auth.js handler (next-auth v4 or
 * @auth/core, by the `makeApp` given) over the memory store and a real redis-server. Each test
 * file calls `describeLifecycle` once; the two libraries run the same suite.
 */
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { createAuthCache } from "../../../src/cache/auth-cache.js";
import type { AuthCache } from "../../../src/cache/types.js";
import { CLAIMS, isRevoked, type WithAuthCacheOptions } from "../../../src/next-auth/index.js";
import { memoryStore } from "../../../src/stores/memory.js";
import { redisStore } from "../../../src/stores/redis.js";
import type { Store } from "../../../src/stores/types.js";
import type { AppSetup, MakeApp, TestApp, TestUser } from "./app.js";
import type { AuthResponse, Browser } from "./browser.js";

const STORES: { name: string; make: () => Store }[] = [
  { name: "memory store", make: () => memoryStore() },
  { name: "redis-server", make: () => redisStore({ url: inject("servers").redisUrl }) },
];

const ALICE: TestUser = {
  id: "user-alice",
  name: "Alice",
  email: "alice@example.com",
  role: "admin",
};

/** A promise the test resolves by hand: pauses a loader mid-flight. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Harness {
  app: TestApp;
  cache: AuthCache;
  setup: AppSetup;
  users: Map<string, TestUser>;
  /** When set, the next `loadUser` call waits for it (and reports that it started). */
  pauseNextLoad: { started: () => void; release: Promise<void> } | null;
  /** The last token the wrapper handed to the app's session callback. */
  lastToken: Record<string, unknown> | null;
}

/** What one run of the suite adds to every app: wrapper options (the token codec, say). */
export interface LifecycleVariant {
  /** Shown in the suite's name, e.g. "with the token codec". */
  label?: string;
  wrapper?: WithAuthCacheOptions;
}

export function describeLifecycle(
  library: string,
  makeApp: MakeApp,
  variant: LifecycleVariant = {},
): void {
  const label = variant.label ? ` ${variant.label}` : "";
  for (const { name: storeName, make } of STORES) {
    describe(`${library} with withAuthCache${label} over the ${storeName}`, () => {
      const caches: AuthCache[] = [];
      const apps: TestApp[] = [];

      function harness(overrides: Partial<AppSetup> = {}): Harness {
        const users = new Map<string, TestUser>([[ALICE.id, { ...ALICE }]]);
        const h = { pauseNextLoad: null, lastToken: null } as Harness;

        const cache = createAuthCache({
          store: make(),
          secret: "cache-secret-for-tests",
          prefix: `it${Math.random().toString(36).slice(2, 10)}`,
          loadUser: async (userId) => {
            const pause = h.pauseNextLoad;
            h.pauseNextLoad = null;
            const user = users.get(userId);
            const snapshot = user ? { ...user } : null;
            if (pause) {
              pause.started();
              await pause.release;
            }
            return snapshot;
          },
        });

        const setup: AppSetup = {
          cache,
          users,
          ...overrides,
          wrapper: { ...variant.wrapper, ...overrides.wrapper },
          callbacks: {
            session: ({ session, token }) => {
              h.lastToken = token;
              return session;
            },
            ...overrides.callbacks,
          },
        };
        const app = makeApp(setup);
        caches.push(cache);
        apps.push(app);
        return Object.assign(h, { app, cache, setup, users });
      }

      afterEach(() => {
        // No test, whatever it did, may leave an Auth.js error in the log.
        for (const app of apps.splice(0)) {
          const codes = app.logs.filter((l) => l.level !== "debug").map((l) => l.code);
          expect(codes).not.toContain("JWT_SESSION_ERROR");
          expect(codes).not.toContain("JWTSessionError");
          expect(app.logs.filter((l) => l.level === "error")).toEqual([]);
        }
      });

      afterAll(async () => {
        await Promise.all(caches.map((c) => c.close()));
      });

      async function signIn(h: Harness, browser = h.app.browser()): Promise<Browser> {
        const response = await browser.signIn({ username: ALICE.id, password: "pw" });
        expect(response.status).toBe(200);
        expect(browser.sessionCookies()).toHaveLength(1);
        return browser;
      }

      function sessionBody(response: AuthResponse) {
        return response.body as { user?: Record<string, unknown>; expires?: string } | null;
      }

      /** Signed out: v4 answers `{}`, @auth/core `null`; no session cookie is (re)issued. */
      function expectSignedOut(app: TestApp, response: AuthResponse, browser: Browser) {
        if (app.flavor === "next-auth-v4") expect(response.body).toEqual({});
        else expect(response.body).toBeNull();

        const issued = response.setCookies.filter(
          (c) => c.name.startsWith(browser.sessionCookie) && c.value !== "" && c.maxAge !== 0,
        );
        expect(issued).toEqual([]);
        expect(browser.sessionCookies()).toEqual([]);
      }

      /** Signed in as `user`: never a session without a user (a "zombie"). */
      function expectSignedInAs(response: AuthResponse, user: TestUser) {
        const body = sessionBody(response);
        expect(body?.user?.id).toBe(user.id);
        expect(body?.user?.email).toBe(user.email);
      }

      it("signs in and reads the session back with profile fields from the cache", async () => {
        const h = harness();
        const browser = await signIn(h);

        const response = await browser.session();
        expectSignedInAs(response, ALICE);
        expect(sessionBody(response)?.user).toMatchObject({ name: "Alice", role: "admin" });
        expect(await h.cache.getUserProfile(ALICE.id)).toMatchObject({ role: "admin" });
      });

      it("keeps the profile out of the token: a 5 KB profile still fits one cookie under 4 KB", async () => {
        const bio = "b".repeat(5 * 1024);
        const h = harness();
        h.users.set(ALICE.id, { ...ALICE, bio });
        const browser = await signIn(h);

        const response = await browser.session();
        expect(sessionBody(response)?.user?.bio).toBe(bio);

        const cookies = browser.sessionCookies();
        expect(cookies.map(([name]) => name)).toEqual([browser.sessionCookie]);
        expect(cookies[0]?.[1].length).toBeLessThan(4096);
      });

      it("an update through the app's callback sticks across later reads", async () => {
        const h = harness({
          callbacks: {
            jwt: ({ token, trigger, session }) => {
              if (trigger === "update" && typeof session?.name === "string")
                token.name = session.name;
              return token;
            },
          },
        });
        const browser = await signIn(h);

        const updated = await browser.update({ name: "Alice Updated" });
        expect(sessionBody(updated)?.user?.name).toBe("Alice Updated");

        const read = await browser.session();
        expect(sessionBody(read)?.user?.name).toBe("Alice Updated");
        expect((await h.cache.getUserProfile(ALICE.id))?.name).toBe("Alice Updated");
      });

      it("an update carrying someone else's email neither maps that email to this user nor shows it", async () => {
        const h = harness({
          callbacks: {
            // A common app callback: it trusts whatever the browser sends with update().
            jwt: ({ token, trigger, session }) =>
              trigger === "update" ? { ...token, ...session } : token,
          },
        });
        const browser = await signIn(h);

        const updated = await browser.update({ email: "bob@example.com", name: "Alice B" });
        expect(sessionBody(updated)?.user?.email).toBe(ALICE.email);
        expect(sessionBody(updated)?.user?.name).toBe("Alice B");

        expect(await h.cache.getUserIdByEmail("bob@example.com")).toBeNull();
        expect(await h.cache.getUserIdByEmail(ALICE.email)).toBe(ALICE.id);
        expect((await h.cache.getUserProfile(ALICE.id))?.email).toBe(ALICE.email);
      });

      it('an update to name "New" followed by a stale concurrent read carrying "Old" still yields "New" and does not write "Old" to the cache', async () => {
        const h = harness({
          callbacks: {
            jwt: ({ token, trigger, session }) => {
              if (trigger === "update" && typeof session?.name === "string")
                token.name = session.name;
              return token;
            },
          },
        });
        h.users.set(ALICE.id, { ...ALICE, name: "Old" });
        const browser = await signIn(h);
        const stale = browser.snapshot();

        await browser.update({ name: "New" });

        // The stale request: the cookie from before the update, still carrying name "Old".
        const staleDevice = h.app.browser();
        staleDevice.restore(stale);
        const staleRead = await staleDevice.session();
        expect(sessionBody(staleRead)?.user?.name).toBe("New");

        expect((await h.cache.getUserProfile(ALICE.id))?.name).toBe("New");
        expect(sessionBody(await browser.session())?.user?.name).toBe("New");
      });

      it("a slow profile load that read the old name cannot overwrite the update that followed it", async () => {
        const h = harness({
          callbacks: {
            jwt: ({ token, trigger, session }) => {
              if (trigger === "update" && typeof session?.name === "string")
                token.name = session.name;
              return token;
            },
          },
        });
        h.users.set(ALICE.id, { ...ALICE, name: "Old" });
        const browser = await signIn(h);
        const other = h.app.browser();
        other.restore(browser.snapshot());

        // A read misses the profile and loads "Old" from the database, slowly.
        await h.cache.invalidateUserProfile(ALICE.id);
        const gate = deferred<void>();
        const started = deferred<void>();
        h.pauseNextLoad = { started: () => started.resolve(), release: gate.promise };
        const slowRead = other.session();
        await started.promise;

        // Meanwhile the update lands (it joins the same in-flight load, then writes "New").
        const update = browser.update({ name: "New" });
        await sleep(5);
        gate.resolve();
        await Promise.all([slowRead, update]);

        expect((await h.cache.getUserProfile(ALICE.id))?.name).toBe("New");
        expect(sessionBody(await browser.session())?.user?.name).toBe("New");
        expect(sessionBody(await other.session())?.user?.name).toBe("New");
      });

      it("after sign-out the replayed old cookie reads as signed out and gets no new session cookie", async () => {
        const h = harness();
        const browser = await signIn(h);
        await browser.session();
        const before = browser.snapshot();

        const out = await browser.signOut();
        expect(out.status).toBe(200);
        expect(browser.sessionCookies()).toEqual([]);

        const attacker = h.app.browser();
        attacker.restore(before);
        expectSignedOut(h.app, await attacker.session(), attacker);

        // And again: the revocation holds on every later replay.
        attacker.restore(before);
        expectSignedOut(h.app, await attacker.session(), attacker);
      });

      it("sign-out resolves only once the revocation is stored", async () => {
        const h = harness();
        const browser = await signIn(h);
        const sessionId = await sessionIdOf(h, browser);

        await browser.signOut();
        expect(await h.cache.isSessionBlacklisted(sessionId)).toBe(true);
        expect(await h.cache.getJWTSession(sessionId)).toBeNull();
      });

      it("isRevoked honours sign-out for middleware that reads the cookie with getToken()", async () => {
        const h = harness();
        const browser = await signIn(h);
        const cookies = Object.fromEntries(browser.snapshot());

        const token = await h.app.getToken(cookies);
        expect(token?.sub).toBe(ALICE.id);
        expect(await isRevoked(h.cache, token)).toBe(false);

        await browser.signOut();
        // getToken still decodes the replayed cookie: only isRevoked knows it was signed out.
        const replayed = await h.app.getToken(cookies);
        expect(replayed?.sub).toBe(ALICE.id);
        expect(await isRevoked(h.cache, replayed)).toBe(true);
        expect(await isRevoked(h.cache, null)).toBe(true);
      });

      it("after revokeUserSessions every device is signed out on its next read; both were listed before", async () => {
        const h = harness();
        const laptop = await signIn(h);
        const phone = await signIn(h);
        expectSignedInAs(await laptop.session(), ALICE);
        expectSignedInAs(await phone.session(), ALICE);

        const sessions = await h.cache.listUserSessions(ALICE.id);
        expect(sessions).toHaveLength(2);

        await sleep(2);
        await h.cache.revokeUserSessions(ALICE.id);

        expectSignedOut(h.app, await phone.session(), phone);
        expectSignedOut(h.app, await laptop.session(), laptop);
        expect(await h.cache.listUserSessions(ALICE.id)).toEqual([]);

        // Signing in again afterwards works: only sessions from before the watermark are revoked.
        await sleep(2);
        const again = await signIn(h, h.app.browser());
        expectSignedInAs(await again.session(), ALICE);
      });

      it("lists each device with its browser, and revoking one leaves the other signed in", async () => {
        let agent = "Laptop Firefox";
        const h = harness({ wrapper: { userAgent: () => agent } });
        const laptop = await signIn(h);
        agent = "Phone Safari";
        const phone = await signIn(h);

        const sessions = await h.cache.listUserSessions(ALICE.id);
        expect(sessions.map((s) => s.userAgent).sort()).toEqual(["Laptop Firefox", "Phone Safari"]);

        const phoneSession = sessions.find((s) => s.userAgent === "Phone Safari");
        await h.cache.revokeSession(ALICE.id, phoneSession!.sessionId);
        expectSignedOut(h.app, await phone.session(), phone);
        expectSignedInAs(await laptop.session(), ALICE);
      });

      it("reports every jwt callback as a timed event, with its outcome", async () => {
        const h = harness();
        const events: { trigger: string; outcome: string; ms: number }[] = [];
        h.cache.on((e) => {
          if (e.type === "jwt") events.push(e);
        });

        const browser = await signIn(h);
        await browser.session();
        await browser.signOut();

        expect(events.map((e) => `${e.trigger}:${e.outcome}`)).toEqual([
          "signIn:token",
          "read:token",
        ]);
        expect(events.every((e) => e.ms >= 0 && e.ms < 5000)).toBe(true);
      });

      it("a read whose profile load is paused while sign-out completes does not recreate the session", async () => {
        const h = harness({ wrapper: { touchIntervalMs: 1 } });
        const browser = await signIn(h);
        const sessionId = await sessionIdOf(h, browser);
        const device = h.app.browser();
        device.restore(browser.snapshot());

        await h.cache.invalidateUserProfile(ALICE.id);
        const gate = deferred<void>();
        const started = deferred<void>();
        h.pauseNextLoad = { started: () => started.resolve(), release: gate.promise };
        await sleep(2);
        const read = device.session();
        await started.promise;

        await browser.signOut();
        expect(await h.cache.isSessionBlacklisted(sessionId)).toBe(true);

        gate.resolve();
        await read;

        // The read's sliding refresh came after the revocation: it must not bring the session back.
        expect(await h.cache.isSessionBlacklisted(sessionId)).toBe(true);
        expect(await h.cache.getJWTSession(sessionId)).toBeNull();
        expect(await h.cache.listUserSessions(ALICE.id)).toEqual([]);
        expectSignedOut(h.app, await device.session(), device);
      });

      describe("the app's own jwt callback misbehaving", () => {
        const faults: { name: string; returns: (token: Record<string, unknown>) => unknown }[] = [
          { name: "undefined", returns: () => undefined },
          { name: "an empty object", returns: () => ({}) },
          { name: "a token without sub", returns: ({ sub: _sub, ...rest }) => rest },
          { name: "a Date", returns: () => new Date() },
          { name: "a BigInt field", returns: (t) => ({ ...t, big: 2n ** 70n }) },
          {
            name: "a circular object",
            returns: (t) => {
              const token: Record<string, unknown> = { ...t };
              token.self = token;
              return token;
            },
          },
          {
            name: "a thrown error",
            returns: () => {
              throw new Error("app callback failed");
            },
          },
        ];

        for (const fault of faults) {
          it(`returning ${fault.name} still yields a usable session, never a zombie or an error log`, async () => {
            const faulty = { on: false };
            const h = harness({
              callbacks: { jwt: ({ token }) => (faulty.on ? fault.returns(token) : token) },
            });
            const browser = await signIn(h);

            faulty.on = true;
            const first = await browser.session();
            expectSignedInAs(first, ALICE);
            expect(browser.sessionCookies()).toHaveLength(1);
            expectSignedInAs(await browser.session(), ALICE);

            // At sign-in too: a second device signs in despite the fault.
            const second = await signIn(h, h.app.browser());
            expectSignedInAs(await second.session(), ALICE);
          });
        }

        it("returning null signs out cleanly, at sign-in and on a read, and the old cookie stays out", async () => {
          const mode = { nullOn: "none" as "none" | "read" | "signIn" };
          const h = harness({
            callbacks: {
              jwt: ({ token, trigger }) => {
                const isSignIn = trigger === "signIn" || trigger === "signUp";
                if (mode.nullOn === "signIn" && isSignIn) return null;
                if (mode.nullOn === "read" && !isSignIn) return null;
                return token;
              },
            },
          });

          mode.nullOn = "signIn";
          const refused = h.app.browser();
          await refused.signIn({ username: ALICE.id, password: "pw" });
          expect(refused.sessionCookies()).toEqual([]);
          expectSignedOut(h.app, await refused.session(), refused);

          mode.nullOn = "none";
          const browser = await signIn(h);
          const before = browser.snapshot();
          mode.nullOn = "read";
          expectSignedOut(h.app, await browser.session(), browser);

          mode.nullOn = "none";
          browser.restore(before);
          expectSignedOut(h.app, await browser.session(), browser);
        });
      });
    });
  }
}

/** The claims of the browser's current session, read through the wrapper's own callback. */
async function currentToken(h: Harness, browser: Browser): Promise<Record<string, unknown>> {
  const response = await browser.session();
  expect(response.status).toBe(200);
  const last = h.lastToken;
  if (!last) throw new Error("no token seen");
  return last;
}

async function sessionIdOf(h: Harness, browser: Browser): Promise<string> {
  const token = await currentToken(h, browser);
  return token[CLAIMS.sessionId] as string;
}
