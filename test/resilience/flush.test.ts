/**
 * A cache that lost its data (FLUSHALL, a replaced or restarted server without persistence) must
 * not let a revoked session back in. In strict mode the store is authoritative: a session it does
 * not know is signed out, so a flush fails closed. A "sign out everywhere" the app persisted in
 * its own database (returned by `loadUser` as `revokedBefore`) holds in every mode, and even
 * while the store is down.
 */
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { afterEach, describe, expect, it } from "vitest";
import { CLAIMS } from "../../src/next-auth/index.js";
import { redisStore } from "../../src/stores/redis.js";
import { type RedisProcess, startRedis } from "../support/redis-server.js";
import {
  type App,
  isSession,
  isSignedOutResult,
  makeApp,
  read,
  reissue,
  signIn,
  UserDb,
  watchProcess,
} from "./support.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<RedisProcess> {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  return redis;
}

async function flushAll(redis: RedisProcess): Promise<void> {
  const raw = createClient({ url: redis.url });
  await raw.connect();
  await raw.sendCommand(["FLUSHALL"]);
  await raw.close();
}

/** Three users: one signs out, one is signed out everywhere by an admin, one stays. */
async function scenario(app: App) {
  const signsOut = await signIn(app, "user-signs-out");
  const revokedEverywhere = await signIn(app, "user-revoked-everywhere");
  const stays = await signIn(app, "user-stays");

  await app.signOut({ token: signsOut });

  // "Sign out everywhere", persisted by the app in its own database as well as in the cache.
  const watermark = await app.cache.revokeUserSessions("user-revoked-everywhere");
  const user = app.db.users.get("user-revoked-everywhere");
  if (user) user.revokedBefore = watermark;

  return { signsOut, revokedEverywhere, stays };
}

/** A well-formed token for a session this deployment never issued. */
function unknownSession(userId: string) {
  const now = Date.now();
  return reissue({
    sub: userId,
    name: "Someone",
    [CLAIMS.sessionId]: randomBytes(16).toString("hex"),
    [CLAIMS.startedAt]: now - 1_000,
    [CLAIMS.touchedAt]: now - 1_000,
  });
}

describe("flushed cache", () => {
  it("in strict mode keeps every revoked session signed out after FLUSHALL, and signs out sessions the store no longer knows", async () => {
    const redis = await server();
    const app = makeApp({ store: redisStore({ url: redis.url }), strict: true });
    cleanups.push(() => app.cache.close());
    const watch = watchProcess();
    cleanups.push(async () => watch.stop());
    const { signsOut, revokedEverywhere, stays } = await scenario(app);

    expect(isSignedOutResult(await read(app, signsOut))).toBe(true);
    expect(isSignedOutResult(await read(app, revokedEverywhere))).toBe(true);
    expect(isSession(await read(app, stays), "user-stays")).toBe(true);
    expect(isSignedOutResult(await read(app, unknownSession("user-stays")))).toBe(true);

    await flushAll(redis);

    expect(isSignedOutResult(await read(app, signsOut))).toBe(true);
    expect(isSignedOutResult(await read(app, revokedEverywhere))).toBe(true);
    // Fail closed: the flush took the proof that this session was ever issued.
    expect(isSignedOutResult(await read(app, stays))).toBe(true);
    expect(isSignedOutResult(await read(app, unknownSession("user-stays")))).toBe(true);
    expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });
  });

  it.each([
    ["strict mode", true],
    ["default mode", false],
  ])(
    "holds a sign-out-everywhere persisted through loadUser after FLUSHALL, in %s",
    async (_, strict) => {
      const redis = await server();
      const app = makeApp({ store: redisStore({ url: redis.url }), strict });
      cleanups.push(() => app.cache.close());
      const { revokedEverywhere, stays } = await scenario(app);

      await flushAll(redis);

      // Twice: the first read loads the profile and writes it back, the second reads it cached.
      expect(isSignedOutResult(await read(app, revokedEverywhere))).toBe(true);
      expect(isSignedOutResult(await read(app, revokedEverywhere))).toBe(true);
      // A new sign-in after the revocation is not affected by it.
      const again = await signIn(app, "user-revoked-everywhere");
      expect(isSession(await read(app, again), "user-revoked-everywhere")).toBe(true);
      // Without strict mode, an unrevoked session survives the flush.
      if (!strict) expect(isSession(await read(app, stays), "user-stays")).toBe(true);
    },
  );

  it("holds a sign-out-everywhere persisted through loadUser while the store is down and the policy allows", async () => {
    const redis = await server();
    const db = new UserDb();
    const app = makeApp(
      { store: redisStore({ url: redis.url }), timeoutMs: 200, onStoreDown: "allow" },
      db,
    );
    cleanups.push(() => app.cache.close());
    const { revokedEverywhere, stays } = await scenario(app);

    redis.kill("SIGKILL");

    for (let i = 0; i < 10; i++) {
      expect(isSignedOutResult(await read(app, revokedEverywhere))).toBe(true);
      expect(isSession(await read(app, stays), "user-stays")).toBe(true);
    }
    expect(app.cache.store.breakerState).not.toBe("closed");
  });
});
