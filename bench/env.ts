/**
 * What every session-read row runs against, started once per run and owned by it: a redis-server
 * on a free loopback port, the round-trip counting relay in front of it, an Upstash-protocol
 * forwarder onto the same server, and counters the SQL peers report their queries to.
 */
import { type RedisProcess, startRedis } from "../test/support/redis-server.js";
import { startUpstashServer, type UpstashServer } from "../test/support/upstash-server.js";
import { type CountProxy, startCountProxy } from "./count-proxy.js";

/** Per-instance wiring: timed instances talk to Redis directly, counted ones through the relay. */
export interface RowContext {
  /** The Redis URL this instance must use. */
  redisUrl: string;
  upstash: { url: string; token: string };
  /** SQL statements run by this instance (the SQL peers add to it). */
  sql: { queries: number };
  /** Keys of this row, so rows sharing the server never read each other's entries. */
  prefix: string;
}

export interface BenchEnv {
  redis: RedisProcess;
  proxy: CountProxy;
  upstash: UpstashServer;
  context(prefix: string, counted: boolean): RowContext;
  close(): Promise<void>;
}

export async function startBenchEnv(): Promise<BenchEnv> {
  const redis = await startRedis();
  const proxy = await startCountProxy({ host: redis.host, port: redis.port });
  const upstash = await startUpstashServer({ redisUrl: redis.url });

  return {
    redis,
    proxy,
    upstash,
    context: (prefix, counted) => ({
      redisUrl: counted ? proxy.url : redis.url,
      upstash: { url: upstash.url, token: upstash.token },
      sql: { queries: 0 },
      prefix,
    }),
    async close() {
      await upstash.close();
      await proxy.close();
      await redis.stop();
    },
  };
}
