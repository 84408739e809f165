/**
 * Memory per 100 000 sessions: the heap a memory-store cache holds (in a child process with
 * `--expose-gc`, between full collections) and the `used_memory` a redis-server of the run's own
 * gains, each for the sessions alone and for their users' profiles and email mappings.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClient } from "redis";
import { createAuthCache } from "../src/index.js";
import { redisStore } from "../src/stores/redis.js";
import { startRedis } from "../test/support/redis-server.js";
import { writeMany, writeSession, writeUser } from "./session-fixture.js";

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL("./memory-child.ts", import.meta.url));

export interface MemoryRow {
  store: "memory" | "redis";
  sessions: number;
  /** Bytes per session: its token and its entry in the user's device list. */
  bytesPerSession: number;
  /** Bytes per user on top: the cached profile and the email → user id mapping. */
  bytesPerUser: number;
}

export async function benchMemory(sessions: number): Promise<MemoryRow[]> {
  return [await inMemoryStore(sessions), await inRedis(sessions)];
}

async function inMemoryStore(sessions: number): Promise<MemoryRow> {
  const { stdout } = await run(
    process.execPath,
    ["--expose-gc", "--import", "tsx", CHILD, String(sessions)],
    { maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as {
    sessionBytes: number;
    userBytes: number;
  };
  return {
    store: "memory",
    sessions,
    bytesPerSession: result.sessionBytes,
    bytesPerUser: result.userBytes,
  };
}

async function inRedis(sessions: number): Promise<MemoryRow> {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on("error", () => {});
  const cache = createAuthCache({
    store: redisStore({ url: redis.url }),
    secret: "bench-secret",
    prefix: "bench",
  });

  try {
    await client.connect();
    await cache.getJWTSession("warm-up");
    const usedMemory = async () => {
      const info = await client.info("memory");
      return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
    };

    const before = await usedMemory();
    await writeMany(sessions, (i) => writeSession(cache, i));
    const afterSessions = await usedMemory();
    await writeMany(sessions, (i) => writeUser(cache, i));
    const afterUsers = await usedMemory();

    return {
      store: "redis",
      sessions,
      bytesPerSession: (afterSessions - before) / sessions,
      bytesPerUser: (afterUsers - afterSessions) / sessions,
    };
  } finally {
    await cache.close();
    await client.close().catch(() => {});
    await redis.stop();
  }
}
