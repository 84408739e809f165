/**
 * The official Upstash adapter for Auth.js (database sessions) over the Upstash REST protocol,
 * served by the run's own forwarder onto its redis-server.
 */
import type { Adapter } from "@auth/core/adapters";
import type { RowSpec } from "../reader.js";
import { coreDatabaseReader } from "./core-database.js";
import { notInstalled } from "./installed.js";

export function upstashAdapterRow(): RowSpec {
  const label = "@auth/core database strategy, official Upstash adapter (REST)";
  return {
    id: "peer-core-upstash-adapter",
    label,
    group: "peer",
    unavailable: notInstalled("@auth/upstash-redis-adapter", "@upstash/redis"),
    build: async (ctx) => {
      const { UpstashRedisAdapter } = await import("@auth/upstash-redis-adapter");
      const { Redis } = await import("@upstash/redis");
      const client = new Redis({ url: ctx.upstash.url, token: ctx.upstash.token });
      const adapter = UpstashRedisAdapter(client, { baseKeyPrefix: `${ctx.prefix}:` });
      return coreDatabaseReader(label, adapter as Adapter, async () => {});
    },
  };
}
