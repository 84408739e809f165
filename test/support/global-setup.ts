/**
 * Starts the servers every test file shares, once per run: one standalone redis-server, one
 * 3-master Redis Cluster and the Upstash REST forwarder (on the standalone server). Their
 * addresses reach the tests through vitest's `provide` / `inject`; test files keep out of each
 * other's way by writing only under their own random key prefix.
 */
import type { TestProject } from "vitest/node";
import { startCluster, startRedis } from "./redis-server.js";
import { startUpstashServer } from "./upstash-server.js";

export interface TestServers {
  /** `redis://127.0.0.1:<port>` of the standalone server. */
  redisUrl: string;
  /** The cluster's masters. */
  clusterNodes: { host: string; port: number }[];
  upstash: { url: string; token: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    servers: TestServers;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, cluster] = await Promise.all([startRedis(), startCluster()]);
  const upstash = await startUpstashServer({ redisUrl: redis.url });

  project.provide("servers", {
    redisUrl: redis.url,
    clusterNodes: cluster.nodes,
    upstash: { url: upstash.url, token: upstash.token },
  });

  return async () => {
    await upstash.close();
    await Promise.all([redis.stop(), cluster.stop()]);
  };
}
