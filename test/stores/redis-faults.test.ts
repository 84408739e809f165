/**
 * How the Redis store behaves when its server misbehaves: killed, frozen, restarted with an empty
 * script cache, or never there. Each test starts its own redis-server (the shared ones must stay
 * healthy for the other files) and only ever aims at it.
 */
import { type AddressInfo, createServer, type Socket } from "node:net";
import { Redis as IoRedis } from "ioredis";
import { createClient } from "redis";
import { afterEach, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors.js";
import { redisStore } from "../../src/stores/redis.js";
import type { Store } from "../../src/stores/types.js";
import { freePort, type RedisProcess, startRedis } from "../support/redis-server.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<RedisProcess> {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  return redis;
}

function track(store: Store): Store {
  cleanups.push(() => store.close());
  return store;
}

describe("redis store faults", () => {
  it("fails fast with StoreUnavailableError while the server is down, and recovers", async () => {
    const redis = await server();
    const errors: unknown[] = [];
    const store = track(redisStore({ url: redis.url, onError: (e) => errors.push(e) }));
    await store.write("k", "v", 60_000);

    redis.kill("SIGKILL");
    await sleep(100);
    const started = Date.now();
    await expect(store.get(["k"])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(500);
    // The drop reached the error listener instead of crashing the process.
    expect(errors.length).toBeGreaterThan(0);

    await redis.restart();
    await expect
      .poll(
        () =>
          store.ping().then(
            () => "up",
            () => "down",
          ),
        { timeout: 5_000 },
      )
      .toBe("up");
    // A restarted server forgot the scripts: EVALSHA falls back to EVAL.
    expect(await store.write("k", "again", 60_000)).toBe(true);
    expect(await store.get(["k"])).toEqual(["again"]);
  });

  it("times out a command sent to a frozen server", async () => {
    const redis = await server();
    const store = track(redisStore({ url: redis.url, commandTimeoutMs: 200 }));
    await store.ping();

    redis.kill("SIGSTOP");
    try {
      const started = Date.now();
      await expect(store.get(["k"])).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      redis.kill("SIGCONT");
    }
  });

  it("times out a user's ioredis client on a frozen server when asked to", async () => {
    const redis = await server();
    const client = new IoRedis(redis.url, { maxRetriesPerRequest: 1 });
    cleanups.push(async () => client.disconnect());
    const store = track(redisStore({ client, commandTimeoutMs: 200 }));
    await store.ping();

    redis.kill("SIGSTOP");
    try {
      await expect(store.write("k", "v", 1_000)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      redis.kill("SIGCONT");
    }
  });

  it("opens no connection until first used, then waits for it only once", async () => {
    // A listener that accepts connections and never answers, counting them.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const { port } = silent.address() as AddressInfo;

    const store = track(redisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 }));
    await sleep(100);
    expect(sockets).toHaveLength(0);

    const started = Date.now();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(sockets).toHaveLength(1);
    // The first call waited for the handshake; the next one fails at once.
    const second = Date.now();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - second).toBeLessThan(100);
    expect(second - started).toBeLessThan(1_000);
  });

  it("fails fast when nothing listens at the URL", async () => {
    const port = await freePort();
    const store = track(redisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 }));
    await expect(store.get(["k"])).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("leaves a user's client open on close, and closes only its own", async () => {
    const redis = await server();
    const client = createClient({ url: redis.url });
    await client.connect();
    cleanups.push(() => client.close());

    const store = redisStore({ client });
    await store.write("k", "v", 60_000);
    await store.close();

    expect(client.isReady).toBe(true);
    expect(await client.get("k")).toBe("v");
  });

  it("connects a user's idle client once for many concurrent first calls", async () => {
    const redis = await server();
    // With the offline queue off, a call sent before the handshake ends would fail at once.
    const client = createClient({ url: redis.url, disableOfflineQueue: true });
    cleanups.push(async () => client.isOpen && (await client.close()));
    const store = redisStore({ client });

    const replies = await Promise.all(Array.from({ length: 10 }, () => store.get(["k"])));
    expect(replies).toEqual(Array.from({ length: 10 }, () => [null]));
    await store.close();
  });

  it("reports a key without a TTL as infinite, and extend then gives it one", async () => {
    const redis = await server();
    const client = createClient({ url: redis.url });
    await client.connect();
    cleanups.push(() => client.close());
    await client.set("foreign", "x");

    const store = track(redisStore({ url: redis.url }));
    expect(await store.ttl("foreign")).toBe(Number.POSITIVE_INFINITY);

    await store.extend("foreign", "y", 60_000);
    const ttl = await store.ttl("foreign");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await store.get(["foreign"])).toEqual(["x"]);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
