import type { Command } from "./command.js";
import { table } from "./output.js";

/** What each key suffix holds (see the key layout in `cache/keys.ts`). */
const KINDS: [suffix: string, kind: string][] = [
  [":sessions:meta", "session-index-meta"],
  [":sessions", "session-index"],
  [":jwt", "session"],
  [":bl", "blacklist"],
  [":live", "live"],
  [":keep", "keep"],
  [":profile", "profile"],
  [":wm", "watermark"],
  [":uid", "email"],
];

/**
 * `authcache stats`: how many keys of each kind live under the prefix: cached sessions,
 * blacklist entries, profiles, email mappings, users with a session index or a watermark. It
 * walks the keyspace with SCAN in pages (never KEYS, which blocks the server), so it is safe on
 * a production store, and takes a while on a large one.
 */
export const stats: Command = async ({ conn, out }) => {
  const prefix = conn.cache.keys.prefix;
  const counts: Record<string, number> = Object.fromEntries(KINDS.map(([, kind]) => [kind, 0]));
  counts.other = 0;

  const started = performance.now();
  let cursor = "0";
  let total = 0;
  do {
    const [next, keys] = await conn.raw.scan(cursor, `${prefix}:*`, 1000);
    for (const key of keys) {
      const kind = KINDS.find(([suffix]) => key.endsWith(suffix))?.[1] ?? "other";
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    total += keys.length;
    // The total is unknown up front: a running count rather than a bar, for people only.
    if (process.stderr.isTTY) process.stderr.write(`\rscanned ${total} keys`);
    cursor = next;
  } while (cursor !== "0");
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");

  const ms = Math.round(performance.now() - started);
  out.data({ store: conn.cache.store.kind, prefix, total, kinds: counts, ms });
  out.line(`${total} keys under "${prefix}:" on the ${conn.cache.store.kind} store (${ms} ms)`);
  out.line(
    table(
      ["KIND", "KEYS"],
      Object.entries(counts).map(([kind, n]) => [kind, String(n)]),
    ),
  );
  return 0;
};
