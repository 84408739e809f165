/**
 * Run with `--expose-gc`: the heap a memory-store cache holds for `n` sessions, then for their
 * users' profiles and email mappings, measured between full collections. Prints one JSON line.
 */
import { createAuthCache } from "../src/index.js";
import { memoryStore } from "../src/stores/memory.js";
import { writeMany, writeSession, writeUser } from "./session-fixture.js";

const n = Number(process.argv[2] ?? "100000");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

const settle = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

// Fill size limits far above n, so every session stays resident and is counted.
const cache = createAuthCache({
  store: memoryStore({ maxEntries: n * 10 }),
  secret: "bench-secret",
  prefix: "bench",
});
await cache.getJWTSession("warm-up");

const before = settle();
await writeMany(n, (i) => writeSession(cache, i), 1);
const sessions = settle();
await writeMany(n, (i) => writeUser(cache, i), 1);
const users = settle();

process.stdout.write(
  `${JSON.stringify({ sessionBytes: (sessions - before) / n, userBytes: (users - sessions) / n })}\n`,
);
await cache.close();
