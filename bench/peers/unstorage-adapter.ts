/**
 * The Auth.js unstorage adapter (database sessions) on unstorage's Redis driver, which speaks
 * Redis over TCP through ioredis, against the run's own redis-server.
 */
import type { Adapter } from "@auth/core/adapters";
import type { RowSpec } from "../reader.js";
import { coreDatabaseReader } from "./core-database.js";
import { notInstalled } from "./installed.js";

export function unstorageAdapterRow(): RowSpec {
  const label = "@auth/core database strategy, unstorage adapter over Redis TCP";
  return {
    id: "peer-core-unstorage-redis",
    label,
    group: "peer",
    unavailable: notInstalled("@auth/unstorage-adapter", "unstorage", "unstorage/drivers/redis"),
    build: async (ctx) => {
      const { UnstorageAdapter } = await import("@auth/unstorage-adapter");
      const { createStorage } = await import("unstorage");
      const { default: redisDriver } = await import("unstorage/drivers/redis");
      const storage = createStorage({
        driver: redisDriver({ url: ctx.redisUrl, base: ctx.prefix }),
      });
      // The adapter is typed against its own copy of @auth/core; the shape is the same.
      const adapter = UnstorageAdapter(storage) as unknown as Adapter;
      return coreDatabaseReader(label, adapter, () => storage.dispose());
    },
  };
}
