/**
 * Two "instances" of an app for the L1 tests: each with its own client (so its own connections)
 * and its own cache, on one shared Redis or Cluster, under one key prefix.
 */
import { Cluster, Redis as IoRedis } from "ioredis";
import { createClient, createCluster } from "redis";
import type { AuthCache, AuthCacheOptions } from "../../src/cache/types.js";
import { createAuthCache } from "../../src/index.js";
import { redisStore } from "../../src/stores/redis.js";
import type { Store } from "../../src/stores/types.js";

export interface Instance {
  cache: AuthCache;
  store: Store;
  close(): Promise<void>;
}

export type Flavour =
  | "node-redis url"
  | "node-redis client"
  | "ioredis"
  | "node-redis cluster"
  | "ioredis cluster";

export interface Target {
  url?: string;
  clusterNodes?: { host: string; port: number }[];
}

/** A store of `flavour` on `target` with its own client, and how to close both. */
export function makeStore(
  flavour: Flavour,
  target: Target,
): { store: Store; close(): Promise<void> } {
  switch (flavour) {
    case "node-redis url": {
      const store = redisStore({ url: target.url });
      return { store, close: () => store.close() };
    }
    case "node-redis client": {
      const client = createClient({ url: target.url, disableOfflineQueue: true });
      const store = redisStore({ client });
      return {
        store,
        close: async () => {
          await store.close();
          if (client.isOpen) await client.close();
        },
      };
    }
    case "ioredis": {
      const client = new IoRedis(target.url!, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      });
      const store = redisStore({ client });
      return {
        store,
        close: async () => {
          await store.close();
          client.disconnect();
        },
      };
    }
    case "node-redis cluster": {
      const client = createCluster({
        rootNodes: target.clusterNodes!.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
      });
      client.on("error", () => {});
      const store = redisStore({ client });
      return {
        store,
        close: async () => {
          await store.close();
          if (client.isOpen) await client.close();
        },
      };
    }
    case "ioredis cluster": {
      const client = new Cluster(target.clusterNodes!, {
        redisOptions: { maxRetriesPerRequest: 1 },
      });
      const store = redisStore({ client });
      return {
        store,
        close: async () => {
          await store.close();
          client.disconnect();
        },
      };
    }
  }
}

/** An instance with the L1 tier on, its subscription confirmed before it is handed out. */
export async function instance(
  flavour: Flavour,
  target: Target,
  options: AuthCacheOptions,
  wrap: (store: Store) => Store = (store) => store,
): Promise<Instance> {
  const made = makeStore(flavour, target);
  const store = wrap(made.store);
  const cache = createAuthCache({ l1: true, timeoutMs: 2000, ...options, store });
  await until(() => cache.l1?.active === true, 3000, "the L1 tier to come up");
  return {
    cache,
    store,
    close: async () => {
      await cache.close();
      await made.close();
    },
  };
}

/** Polls `condition` every millisecond or so; rejects after `ms`. Resolves with the time taken. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - started;
}

/** Counts every call the cache makes to the store, by operation (subscribing aside). */
export function counting(store: Store): {
  store: Store;
  calls: Map<string, number>;
  total(): number;
} {
  const calls = new Map<string, number>();
  const wrapped = new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "subscribe" || prop === "close") return value.bind(target);
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: wrapped,
    calls,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
  };
}

export const prefix = () => `l1${Math.random().toString(36).slice(2, 10)}`;
