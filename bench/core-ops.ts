/**
 * The cache's own operations next to the raw client doing the same command, per store, in one
 * run: the ratio is what authcache adds (envelope, validation, guard, Lua conditions).
 */
import { createClient } from "redis";
import { createAuthCache } from "../src/index.js";
import { memoryStore } from "../src/stores/memory.js";
import { redisStore } from "../src/stores/redis.js";
import { startRedis } from "../test/support/redis-server.js";
import { fmt, interleaved } from "./measure.js";

export interface CoreRow {
  store: string;
  op: string;
  raw: string;
  rawP50: number;
  cacheP50: number;
  rawP99: number;
  cacheP99: number;
  ratio: number;
}

export async function benchCoreOps(rounds = 5, perRound = 2000): Promise<CoreRow[]> {
  const redis = await startRedis();
  const rows: CoreRow[] = [];

  try {
    const raw = createClient({ url: redis.url });
    await raw.connect();
    const cache = createAuthCache({
      store: redisStore({ url: redis.url }),
      secret: "bench-secret",
      prefix: "bench",
    });
    await cache.cacheJWTSession("s1", { sub: "u1", sessionId: "s1", name: "Ada" });
    await raw.set("raw:s1", JSON.stringify({ sub: "u1", sessionId: "s1", name: "Ada" }), {
      PX: 1800_000,
    });

    const redisResults = await interleaved(
      {
        rawGet: () => raw.get("raw:s1"),
        cacheGet: () => cache.getJWTSession("s1"),
        rawSet: () => raw.set("raw:s1", '{"sub":"u1"}', { PX: 1800_000 }),
        cacheSet: () => cache.cacheJWTSession("s1", { sub: "u1", sessionId: "s1", name: "Ada" }),
        rawExists: () => raw.exists("raw:bl"),
        cacheBlacklisted: () => cache.isSessionBlacklisted("s1"),
      },
      rounds,
      perRound,
    );
    rows.push(
      row("redis", "getJWTSession", "GET", redisResults.rawGet, redisResults.cacheGet),
      row("redis", "cacheJWTSession", "SET PX", redisResults.rawSet, redisResults.cacheSet),
      row(
        "redis",
        "isSessionBlacklisted",
        "EXISTS",
        redisResults.rawExists,
        redisResults.cacheBlacklisted,
      ),
    );

    const mem = memoryStore();
    const memCache = createAuthCache({ store: mem, prefix: "bench" });
    await memCache.cacheJWTSession("s1", { sub: "u1", sessionId: "s1", name: "Ada" });
    const memResults = await interleaved(
      {
        rawGet: () => mem.get(["raw"]),
        cacheGet: () => memCache.getJWTSession("s1"),
        rawSet: () => mem.write("raw", "v", 1800_000),
        cacheSet: () => memCache.cacheJWTSession("s1", { sub: "u1", sessionId: "s1", name: "Ada" }),
      },
      rounds,
      perRound,
    );
    rows.push(
      row("memory", "getJWTSession", "store.get", memResults.rawGet, memResults.cacheGet),
      row("memory", "cacheJWTSession", "store.write", memResults.rawSet, memResults.cacheSet),
    );

    await raw.close();
    await cache.close();
  } finally {
    await redis.stop();
  }
  return rows;
}

function row(
  store: string,
  op: string,
  raw: string,
  r: { p50: number; p99: number },
  c: { p50: number; p99: number },
): CoreRow {
  return {
    store,
    op,
    raw,
    rawP50: r.p50,
    cacheP50: c.p50,
    rawP99: r.p99,
    cacheP99: c.p99,
    ratio: c.p50 / r.p50,
  };
}

export function printCoreRows(rows: CoreRow[]): void {
  console.log("\ncache operations vs the raw client (sequential, p50 / p99, median of rounds)");
  console.log(
    [
      "store",
      "operation",
      "raw command",
      "raw p50",
      "cache p50",
      "raw p99",
      "cache p99",
      "ratio p50",
    ].join(" | "),
  );
  for (const r of rows) {
    console.log(
      [
        r.store,
        r.op,
        r.raw,
        fmt(r.rawP50),
        fmt(r.cacheP50),
        fmt(r.rawP99),
        fmt(r.cacheP99),
        `${r.ratio.toFixed(2)}×`,
      ].join(" | "),
    );
  }
}
