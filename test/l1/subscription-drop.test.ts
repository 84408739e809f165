/**
 * When the subscription drops, invalidations may be lost: the tier must stop answering until it
 * is subscribed again, and start empty. Run on servers of this file's own, which it kills and
 * restarts.
 */
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAuthCache } from "../../src/index.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import type { BusListener, Store } from "../../src/stores/types.js";
import {
  cli,
  type RedisCluster,
  type RedisProcess,
  startCluster,
  startRedis,
} from "../support/redis-server.js";
import { type Flavour, type Instance, instance, prefix, type Target, until } from "./support.js";

/** The store, with the subscription's up and down reports counted on the way to the cache. */
function tracked(store: Store) {
  const seen = { up: 0, down: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop !== "subscribe" || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (channel: string, listener: BusListener) =>
        target.subscribe!(channel, {
          message: (m) => listener.message(m),
          up: () => {
            seen.up += 1;
            listener.up();
          },
          down: () => {
            seen.down += 1;
            listener.down();
          },
        });
    },
  });
  return { wrapped, seen };
}

const session = (sessionId: string) => ({ sessionId, userId: "u1", issuedAt: Date.now() - 1000 });

let open: Instance[] = [];
afterEach(async () => {
  await Promise.all(open.map((i) => i.close()));
  open = [];
});

/**
 * Cuts every subscriber off the given servers and keeps them off until `restore()`: new
 * connections are refused (the server is full), so the drop lasts as long as the test wants
 * rather than the two milliseconds a client needs to reconnect.
 */
async function cutOff(ports: number[]): Promise<{ restore(): Promise<void> }> {
  const admins = await Promise.all(
    ports.map(async (port) => {
      const admin = createClient({ url: `redis://127.0.0.1:${port}` });
      admin.on("error", () => {});
      await admin.connect();
      return admin;
    }),
  );
  for (const admin of admins) {
    await admin.sendCommand(["CONFIG", "SET", "maxclients", "1"]);
    await admin.sendCommand(["CLIENT", "KILL", "TYPE", "pubsub"]);
  }
  return {
    async restore() {
      for (const admin of admins) {
        await admin.sendCommand(["CONFIG", "SET", "maxclients", "10000"]);
        await admin.close();
      }
    },
  };
}

/**
 * A's changes while B's subscriber is cut off: one written to the store with no announcement (a
 * message lost), one announced while B knows it is down. Both must hold on B.
 */
async function dropAndRecover(flavour: Flavour, target: Target, ports: number[]): Promise<void> {
  const shared = prefix();
  // A TTL far longer than the test: only the flush can explain a fresh answer.
  const l1 = { ttlMs: 60_000 };
  const a = await instance(flavour, target, { prefix: shared, l1 });
  let seen = { up: 0, down: 0 };
  const b = await instance(flavour, target, { prefix: shared, l1 }, (store) => {
    const t = tracked(store);
    seen = t.seen;
    return t.wrapped;
  });
  open.push(a, b);

  // Written by B itself: an announcement from A could land between B's checks and drop one.
  await b.cache.cacheUserProfile("u1", { name: "Ada" });
  for (const id of ["lost", "down"])
    expect((await b.cache.checkSession(session(id))).revoked).toBe(false);
  expect(b.cache.l1?.size).toBe(2);
  expect(seen.up).toBe(1);

  // A Cluster client connects to each node on first use: A touches every slot it will write
  // while B is cut off, so that only subscribers are refused.
  for (const id of ["lost", "down"]) await a.cache.checkSession(session(id));

  const cut = await cutOff(ports);
  await until(() => seen.down >= 1, 2000, "B to notice the dropped subscription");
  expect(b.cache.l1?.active).toBe(false);

  // Written behind every cache's back: the message that would have announced it is lost.
  await a.store.extend(a.cache.keys.blacklist("lost"), String(Date.now()), 60_000);
  // Announced, but B cannot hear it: bypassed while down, B asks the store.
  await a.cache.revokeSession("u1", "down");
  expect((await b.cache.checkSession(session("down"))).reason).toBe("blacklisted");
  expect((await b.cache.checkSession(session("down"))).reason).toBe("blacklisted");
  expect(b.cache.l1?.size).toBe(0);

  await cut.restore();
  await until(() => seen.up >= 2, 5000, "B to resubscribe");
  expect(b.cache.l1?.active).toBe(true);
  expect(b.cache.l1?.size).toBe(0);
  expect((await b.cache.checkSession(session("lost"))).reason).toBe("blacklisted");
  expect((await b.cache.checkSession(session("down"))).reason).toBe("blacklisted");

  // And it serves from memory again, invalidated as before.
  expect((await b.cache.checkSession(session("fresh"))).revoked).toBe(false);
  expect(b.cache.l1?.size).toBe(1);
  await a.cache.revokeSession("u1", "fresh");
  await until(
    async () => (await b.cache.checkSession(session("fresh"))).revoked,
    200,
    "revocation",
  );
}

describe("L1 when the subscription drops, on a standalone server", () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const flavours: Flavour[] = ["node-redis url", "node-redis client", "ioredis"];
  it.each(flavours)("over %s: bypassed while down, emptied on resubscribe", async (flavour) => {
    await dropAndRecover(flavour, { url: redis.url }, [redis.port]);
  });

  it("comes back empty after the server restarts, and never fails a request meanwhile", async () => {
    let seen = { up: 0, down: 0 };
    const b = await instance(
      "node-redis url",
      { url: redis.url },
      { prefix: prefix(), l1: { ttlMs: 60_000 } },
      (store) => {
        const t = tracked(store);
        seen = t.seen;
        return t.wrapped;
      },
    );
    open.push(b);
    await b.cache.cacheUserProfile("u1", { name: "Ada" });
    await b.cache.checkSession(session("s1"));
    expect(b.cache.l1?.size).toBe(1);

    redis.kill("SIGKILL");
    await until(() => seen.down >= 1, 2000, "the drop");
    const during = await b.cache.checkSession(session("s1"));
    expect(during).toMatchObject({ revoked: false, storeDown: true });

    await redis.restart();
    await until(() => seen.up >= 2, 5000, "resubscription");
    expect(b.cache.l1?.size).toBe(0);
    expect((await b.cache.checkSession(session("s1"))).storeDown).toBe(false);
  });

  it("opens no connection until the tier is first used", async () => {
    const before = await cli(redis.port, "CLIENT", "LIST", "TYPE", "pubsub");
    const cache = createAuthCache({
      store: redisStore({ url: redis.url }),
      prefix: prefix(),
      l1: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await cli(redis.port, "CLIENT", "LIST", "TYPE", "pubsub")).toBe(before);

    await until(() => cache.l1?.active === true, 2000, "the tier");
    expect(await cli(redis.port, "CLIENT", "LIST", "TYPE", "pubsub")).not.toBe(before);
    await cache.close();
    await until(
      async () => (await cli(redis.port, "CLIENT", "LIST", "TYPE", "pubsub")) === before,
      2000,
      "the subscriber to close",
    );
  });
});

describe("L1 when the subscription drops, on a Cluster", () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const flavours: Flavour[] = ["node-redis cluster", "ioredis cluster"];
  it.each(flavours)("over %s: bypassed while down, emptied on resubscribe", async (flavour) => {
    await dropAndRecover(
      flavour,
      { clusterNodes: cluster.nodes },
      cluster.nodes.map((node) => node.port),
    );
  });
});

describe("L1 when publishing fails", () => {
  it("still revokes, drops its own copy, and never fails the call", async () => {
    const base = memoryStore();
    const store = new Proxy(base, {
      get(target, prop) {
        if (prop === "publish") return async () => Promise.reject(new Error("bus down"));
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const cache = createAuthCache({ store, l1: true });
    await cache.cacheUserProfile("u1", { name: "Ada" });
    expect((await cache.checkSession(session("s1"))).revoked).toBe(false);
    expect(cache.l1?.size).toBe(1);

    await expect(cache.revokeSession("u1", "s1")).resolves.toBeUndefined();
    expect(cache.l1?.size).toBe(0);
    expect((await cache.checkSession(session("s1"))).reason).toBe("blacklisted");
    await cache.close();
  });

  it("answers by policy, and keeps the tier bypassed, while the server is unreachable", async () => {
    const redis = await startRedis();
    const url = redis.url;
    await redis.stop();

    const cache = createAuthCache({
      store: redisStore({ url, connectTimeoutMs: 100 }),
      prefix: prefix(),
      l1: true,
      timeoutMs: 100,
      onStoreDown: "deny",
    });
    for (let i = 0; i < 3; i++) {
      expect(await cache.checkSession(session("s1"))).toMatchObject({
        revoked: true,
        storeDown: true,
      });
    }
    expect(cache.l1?.active).toBe(false);
    await cache.close();
  });
});
