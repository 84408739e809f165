/**
 * The jwt path under load while its redis-server dies, freezes or stalls. Each test starts its
 * own server (the shared one must stay up for the other files) and aims only at it.
 *
 * The outage lasts 3 s rather than the 10 s of a production drill: what is measured (latency
 * while the breaker is closed, then open; the time back on Redis once it returns) does not
 * depend on the length, and the whole suite stays within a minute. The reconnect backoff is
 * capped at half a second, so a longer outage returns no slower.
 */
import { Redis as IoRedis } from "ioredis";
import { createClient } from "redis";
import { afterEach, describe, expect, it } from "vitest";
import { type RedisClientLike, redisStore } from "../../src/stores/redis.js";
import type { Store } from "../../src/stores/types.js";
import { type RedisProcess, startRedis } from "../support/redis-server.js";
import { describeLatency, merged, startLoad } from "./load.js";
import { eventTally, makeApp, recordingLogger, signIn, sleep, watchProcess } from "./support.js";

const TIMEOUT_MS = 200;
/** The guard's deadline fires up to one tick (a fifth of the timeout) late. */
const DEADLINE_MS = TIMEOUT_MS * 1.2;
/** Room for a loaded two-core machine running other test files alongside. */
const SLACK_MS = 400;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(clients: number, store?: (url: string) => Store) {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const tally = eventTally();
  const log = recordingLogger();
  const app = makeApp({
    store: store ? store(redis.url) : redisStore({ url: redis.url }),
    timeoutMs: TIMEOUT_MS,
    onEvent: tally.listener,
    logger: log.logger,
  });
  cleanups.push(() => app.cache.close());

  const sessions = [];
  for (let i = 0; i < clients; i++) {
    const userId = `user-${i}`;
    sessions.push({ userId, token: await signIn(app, userId) });
  }
  return { redis, app, tally, log, sessions };
}

describe("redis outage under load", () => {
  it("keeps 200 clients signed in through a 3 s SIGKILL and restart: no failed call, latency near zero once the breaker opens, back on Redis within about a second", async () => {
    const { redis, app, tally, log, sessions } = await setup(200);
    const watch = watchProcess();
    cleanups.push(async () => watch.stop());

    const load = startLoad(app, sessions);
    load.phase("before");
    await sleep(1_500);

    load.phase("down");
    const killedAt = performance.now();
    redis.kill("SIGKILL");
    await sleep(3_000);

    await redis.restart();
    const backAt = performance.now();
    load.phase("after");
    await sleep(2_500);
    const result = await load.stop();

    const openedAt = tally.breaker.find((b) => b.state === "open" && b.at >= killedAt)?.at;
    const firstSuccess = tally.firstSuccessAfter(backAt);
    const figures = {
      calls: result.calls,
      failed: result.failed,
      errors: Object.fromEntries(tally.errors),
      breakerOpenedMsAfterKill: openedAt && Math.round(openedAt - killedAt),
      backOnRedisMsAfterRestart: firstSuccess && Math.round(firstSuccess - backAt),
      latency: describeLatency(result),
      logLines: log.loud().map((l) => `${l.level}: ${l.msg}`),
    };
    console.info("redis SIGKILL outage", JSON.stringify(figures, null, 2));

    expect(result.failed).toBe(0);
    expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });

    // While the breaker is still closed, a call waits at most the timeout; once it is open,
    // the store costs nothing and a read is as fast as the fallback to the database.
    expect(merged(result, "down/closed").summary().max).toBeLessThan(DEADLINE_MS + SLACK_MS);
    const open = merged(result, "down/open").summary();
    expect(open.n).toBeGreaterThan(1_000);
    expect(open.p50).toBeLessThan(10);
    expect(open.p99).toBeLessThan(100);

    // Back on Redis soon after it returns, and the breaker closed for good.
    expect(firstSuccess).toBeDefined();
    expect((firstSuccess ?? Infinity) - backAt).toBeLessThan(1_500);
    expect(app.cache.store.breakerState).toBe("closed");
    expect(merged(result, "after/closed").count).toBeGreaterThan(1_000);

    // Errors are counted by operation; the log has a line per outage, not one per failure.
    expect(tally.errorTotal()).toBeGreaterThan(0);
    expect([...tally.errors.keys()].every((k) => /^[a-zA-Z]+:[\w-]+$/.test(k))).toBe(true);
    // (Room for one more short outage, should a loaded machine stall the restarted server.)
    expect(log.loud().length).toBeLessThanOrEqual(6);
    expect(log.loud().some((l) => l.msg === "store unavailable, serving fallbacks")).toBe(true);
    expect(log.loud().at(-1)?.msg).toBe("store available again");
  }, 30_000);

  it.each([
    [
      "CLIENT PAUSE",
      async (redis: RedisProcess) => {
        // A separate raw client pauses every client's commands on the server for 1.5 s.
        const raw = createClient({ url: redis.url });
        raw.on("error", () => {});
        await raw.connect();
        await raw.sendCommand(["CLIENT", "PAUSE", "1500", "ALL"]);
        return async () => {
          await sleep(1_600);
          raw.destroy();
        };
      },
    ],
    [
      "SIGSTOP",
      async (redis: RedisProcess) => {
        redis.kill("SIGSTOP");
        return async () => {
          await sleep(1_500);
          redis.kill("SIGCONT");
        };
      },
    ],
  ])(
    "times out and falls back while the server is frozen by %s past the timeout, and nothing hangs",
    async (_, freezeServer) => {
      const { redis, app, tally, sessions } = await setup(50);
      const watch = watchProcess();
      cleanups.push(async () => watch.stop());

      const load = startLoad(app, sessions);
      load.phase("before");
      await sleep(500);

      load.phase("frozen");
      const thaw = await freezeServer(redis);
      await thaw();
      const thawedAt = performance.now();
      load.phase("after");
      await sleep(1_500);

      // Every client's last call ends promptly: none is stuck behind the frozen server.
      const stopping = performance.now();
      const result = await load.stop();
      const stopMs = performance.now() - stopping;

      const firstSuccess = tally.firstSuccessAfter(thawedAt);
      console.info(
        "redis frozen",
        JSON.stringify({
          calls: result.calls,
          failed: result.failed,
          errors: Object.fromEntries(tally.errors),
          backOnRedisMsAfterThaw: firstSuccess && Math.round(firstSuccess - thawedAt),
          stopMs: Math.round(stopMs),
          latency: describeLatency(result),
        }),
      );

      expect(result.failed).toBe(0);
      expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });
      expect(tally.errors.get("get:timeout") ?? 0).toBeGreaterThan(0);
      expect(merged(result, "").summary().max).toBeLessThan(DEADLINE_MS + SLACK_MS);
      expect(stopMs).toBeLessThan(DEADLINE_MS + SLACK_MS + 100);
      expect(firstSuccess).toBeDefined();
      expect(app.cache.store.breakerState).toBe("closed");
    },
    20_000,
  );
  it.each([
    [
      "a user's ioredis client with its default settings (offline queue on)",
      (url: string) => {
        const client = new IoRedis(url);
        cleanups.push(async () => client.disconnect());
        return {
          client,
          settings: () => [client.options.enableOfflineQueue, client.options.maxRetriesPerRequest],
        };
      },
    ],
    [
      "a user's node-redis client with its offline queue on",
      (url: string) => {
        const client = createClient({ url });
        cleanups.push(async () => client.isOpen && client.destroy());
        return { client, settings: () => [client.options?.disableOfflineQueue] };
      },
    ],
  ])(
    "guards %s through a SIGKILL the same way, and leaves its settings as they were",
    async (_, make) => {
      let user: ReturnType<typeof make> | undefined;
      const { redis, app, tally, sessions } = await setup(50, (url) => {
        user = make(url);
        return redisStore({ client: user.client as unknown as RedisClientLike });
      });
      const settingsBefore = user?.settings();
      const watch = watchProcess();
      cleanups.push(async () => watch.stop());

      const load = startLoad(app, sessions);
      load.phase("before");
      await sleep(500);

      load.phase("down");
      redis.kill("SIGKILL");
      await sleep(2_000);
      await redis.restart();
      const backAt = performance.now();
      load.phase("after");
      await sleep(2_500);
      const result = await load.stop();

      const firstSuccess = tally.firstSuccessAfter(backAt);
      console.info(
        "user client",
        JSON.stringify({
          calls: result.calls,
          failed: result.failed,
          errors: Object.fromEntries(tally.errors),
          backOnRedisMsAfterRestart: firstSuccess && Math.round(firstSuccess - backAt),
          latency: describeLatency(result),
        }),
      );

      expect(result.failed).toBe(0);
      expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });
      // Its offline queue would hold commands until it reconnects; the guard does not wait.
      expect(merged(result, "").summary().max).toBeLessThan(DEADLINE_MS + SLACK_MS);
      expect(firstSuccess).toBeDefined();
      expect(user?.settings()).toEqual(settingsBefore);
    },
    20_000,
  );
});
