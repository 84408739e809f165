/**
 * The stores under test, built from the servers the global setup started: every client flavour
 * the Redis store accepts, on a standalone server and on the cluster, the Upstash store over the
 * REST forwarder, and the memory store. Each factory opens fresh clients; `dispose` closes the
 * store and then any client the test passed in (the store leaves those open by contract).
 */
import { Redis as UpstashRedis } from "@upstash/redis";
import { Cluster, Redis as IoRedis } from "ioredis";
import { createClient, createCluster } from "redis";
import { inject } from "vitest";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import type { Store } from "../../src/stores/types.js";
import { upstashStore } from "../../src/stores/upstash.js";

export interface Backend {
  store: Store;
  /** Closes the store, then the clients the test created for it. */
  dispose(): Promise<void>;
}

export interface StoreUnderTest {
  name: string;
  /** Whether keys of different hash tags land on different nodes. */
  cluster: boolean;
  /** The redis-server nodes holding the data, to SCAN; none for memory. */
  nodes: { host: string; port: number }[];
  make(): Promise<Backend>;
}

const alone = (store: Store): Backend => ({ store, dispose: () => store.close() });

/** Every store the conformance suite runs against. */
export function storesUnderTest(): StoreUnderTest[] {
  const servers = inject("servers");
  const standalone = new URL(servers.redisUrl);
  const single = [{ host: standalone.hostname, port: Number(standalone.port) }];
  const clusterNodes = servers.clusterNodes;

  return [
    {
      name: "memory",
      cluster: false,
      nodes: [],
      make: async () => alone(memoryStore()),
    },
    {
      name: "redis via node-redis (url)",
      cluster: false,
      nodes: single,
      make: async () => alone(redisStore({ url: servers.redisUrl })),
    },
    {
      name: "redis via a user's node-redis client (not yet connected)",
      cluster: false,
      nodes: single,
      make: async () => {
        const client = createClient({ url: servers.redisUrl, disableOfflineQueue: true });
        const store = redisStore({ client });
        return {
          store,
          dispose: async () => {
            await store.close();
            if (client.isOpen) await client.close();
          },
        };
      },
    },
    {
      name: "redis via a user's ioredis client",
      cluster: false,
      nodes: single,
      make: async () => {
        const client = new IoRedis(servers.redisUrl, { maxRetriesPerRequest: 1 });
        const store = redisStore({ client });
        return {
          store,
          dispose: async () => {
            await store.close();
            await client.quit();
          },
        };
      },
    },
    {
      name: "cluster via a user's node-redis createCluster client",
      cluster: true,
      nodes: clusterNodes,
      make: async () => {
        const client = createCluster({
          rootNodes: clusterNodes.map((node) => ({ url: `redis://${node.host}:${node.port}` })),
        });
        client.on("error", () => {});
        await client.connect();
        const store = redisStore({ client });
        return {
          store,
          dispose: async () => {
            await store.close();
            await client.close();
          },
        };
      },
    },
    {
      name: "cluster via a user's ioredis Cluster client",
      cluster: true,
      nodes: clusterNodes,
      make: async () => {
        const client = new Cluster(clusterNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
        const store = redisStore({ client });
        return {
          store,
          dispose: async () => {
            await store.close();
            await client.quit();
          },
        };
      },
    },
    {
      name: "upstash over the REST protocol",
      cluster: false,
      nodes: single,
      make: async () => alone(upstashStore(servers.upstash)),
    },
    {
      name: "upstash via a user's client (automatic deserialization on)",
      cluster: false,
      nodes: single,
      make: async () => alone(upstashStore({ client: new UpstashRedis(servers.upstash) })),
    },
  ];
}
