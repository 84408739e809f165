/**
 * Upstash refusing requests: a rate limit (429), an exhausted quota, a wrong token. Each means
 * "store down" to the cache: the jwt path keeps answering from the app's database, the refusals
 * are counted by operation under a code of their own, and no request fails. The REST endpoint
 * is the harness's forwarder, started here onto a redis-server started here.
 */
import { afterEach, describe, expect, it } from "vitest";
import { upstashStore } from "../../src/stores/upstash.js";
import { startRedis } from "../support/redis-server.js";
import {
  startUpstashServer,
  type UpstashFault,
  type UpstashServer,
} from "../support/upstash-server.js";
import {
  eventTally,
  isSession,
  makeApp,
  read,
  reissue,
  signIn,
  sleep,
  watchProcess,
} from "./support.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function forwarder(): Promise<UpstashServer> {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const server = await startUpstashServer({ redisUrl: redis.url });
  cleanups.push(() => server.close());
  return server;
}

/** 30 session reads over about a second and a half, as one browser tab polling would. */
async function readMany(
  app: ReturnType<typeof makeApp>,
  userId: string,
  first: Record<string, unknown>,
) {
  let token = first;
  let failed = 0;
  let slowest = 0;
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    const result = await read(app, token).catch(() => null);
    slowest = Math.max(slowest, performance.now() - started);
    if (isSession(result, userId)) token = reissue(result);
    else failed += 1;
    await sleep(50);
  }
  return { token, failed, slowest };
}

describe("upstash refusals", () => {
  it.each([
    ["a rate limit (429)", { kind: "rate-limit" }, "RATE_LIMITED"],
    ["an exhausted quota", { kind: "quota" }, "QUOTA_EXCEEDED"],
    ["a revoked token (401)", { kind: "unauthorized" }, "UNAUTHORIZED"],
  ] as [string, UpstashFault, string][])(
    "keeps every request answered through %s, counts it, and returns to the store after",
    async (_, fault, code) => {
      const server = await forwarder();
      const watch = watchProcess();
      cleanups.push(async () => watch.stop());
      const tally = eventTally();
      const app = makeApp({
        store: upstashStore({ url: server.url, token: server.token }),
        onEvent: tally.listener,
      });
      const token = await signIn(app, "user-1");

      server.fault(fault);
      const during = await readMany(app, "user-1", token);
      const loadsDuring = app.db.loads;

      server.fault(null);
      const hitsBefore = tally.storeHits;
      const after = await readMany(app, "user-1", during.token);

      console.info("upstash", code, {
        errors: Object.fromEntries(tally.errors),
        slowestDuringMs: Math.round(during.slowest),
        requests: server.requests,
      });
      expect(during.failed).toBe(0);
      expect(after.failed).toBe(0);
      expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });
      expect(tally.errors.get(`get:${code}`) ?? 0).toBeGreaterThan(0);
      // Refusals come back at once: no request waits for a timeout.
      expect(during.slowest).toBeLessThan(200);
      expect(loadsDuring).toBeGreaterThanOrEqual(30);
      // Back on the store: the breaker closed and reads hit the cached profile again.
      expect(app.cache.store.breakerState).toBe("closed");
      expect(tally.storeHits - hitsBefore).toBeGreaterThan(20);
    },
    20_000,
  );

  it("keeps every request answered when configured with a wrong token, and counts it", async () => {
    const server = await forwarder();
    const watch = watchProcess();
    cleanups.push(async () => watch.stop());
    const tally = eventTally();
    const app = makeApp({
      store: upstashStore({ url: server.url, token: "not-the-token" }),
      onEvent: tally.listener,
    });

    const token = await signIn(app, "user-1");
    const { failed } = await readMany(app, "user-1", token);

    console.info("upstash wrong token", { errors: Object.fromEntries(tally.errors) });
    expect(failed).toBe(0);
    expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });
    expect([...tally.errors.keys()].every((key) => key.endsWith(":UNAUTHORIZED"))).toBe(true);
    expect(tally.errorTotal()).toBeGreaterThan(0);
    expect(app.cache.store.breakerState).not.toBe("closed");
  }, 20_000);
});
