import { quantile } from "../metrics/window.js";
import { CLAIMS } from "../next-auth/claims.js";
import type { Command } from "./command.js";
import type { Connection } from "./connect.js";
import { createProgress, table } from "./output.js";

interface Phase {
  name: string;
  run(i: number): Promise<unknown>;
}

/** One phase's outcome; latencies in ms. */
export interface PhaseResult {
  name: string;
  ops: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * `authcache bench`: times the operations a request pays for, against the configured store:
 * raw GET/SET on the client (the floor), then the cache's session write, read, blacklist check
 * and the one-round-trip session check of the jwt path. Entries are synthetic, live a minute at
 * most and are deleted at the end.
 */
export const bench: Command = async ({ conn, args, out }) => {
  const { cache, raw } = conn;
  const run = crypto.randomUUID().slice(0, 8);
  const sid = (i: number) => `bench-${run}-${i}`;
  const rawKey = (i: number) => `${cache.keys.prefix}:bench-${run}:${i}`;
  const token = { sub: `bench-${run}`, name: "bench", [CLAIMS.startedAt]: Date.now() };

  const phases: Phase[] = [
    { name: "raw SET", run: (i) => raw.set(rawKey(i), "x".repeat(200), 60_000) },
    { name: "raw GET", run: (i) => raw.get(rawKey(i)) },
    { name: "cacheJWTSession", run: (i) => cache.cacheJWTSession(sid(i), token, 60) },
    { name: "getJWTSession", run: (i) => cache.getJWTSession(sid(i)) },
    { name: "isSessionBlacklisted", run: (i) => cache.isSessionBlacklisted(sid(i)) },
    {
      name: "checkSession",
      run: (i) =>
        cache.checkSession({ sessionId: sid(i), userId: token.sub, issuedAt: Date.now() }),
    },
  ];

  const progress = createProgress(phases.length * args.ops);
  const results: PhaseResult[] = [];
  try {
    for (const phase of phases) {
      results.push(
        await runPhase(phase, args.ops, args.concurrency, conn, () => progress.tick(phase.name)),
      );
    }
  } finally {
    progress.end();
    const keys = Array.from({ length: args.ops }, (_, i) => [
      rawKey(i),
      cache.keys.session(sid(i)),
    ]).flat();
    for (let i = 0; i < keys.length; i += 500) {
      await cache.store.del(keys.slice(i, i + 500)).catch(() => undefined);
    }
  }

  out.data({ store: cache.store.kind, ops: args.ops, concurrency: args.concurrency, results });
  out.line(`${cache.store.kind} store · ${args.ops} ops per phase · ${args.concurrency} in flight`);
  out.line(
    table(
      ["OPERATION", "OPS/S", "P50 MS", "P99 MS", "ERRORS"],
      results.map((r) => [
        r.name,
        String(r.opsPerSec),
        String(r.p50),
        String(r.p99),
        String(r.errors),
      ]),
    ),
  );

  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  if (errors === 0) return 0;
  process.stderr.write(`authcache: ${errors} store calls failed during the benchmark\n`);
  return 1;
};

async function runPhase(
  phase: Phase,
  ops: number,
  concurrency: number,
  conn: Connection,
  tick: () => void,
): Promise<PhaseResult> {
  const samples = new Array<number>(ops).fill(0);
  let errors = 0;
  let next = 0;

  // Cache methods degrade instead of throwing (a failed read is a miss), so failures are
  // counted from the guard's events as well as from what throws.
  const stop = conn.cache.on((event) => {
    if (event.type === "error") errors += 1;
  });

  const worker = async () => {
    while (next < ops) {
      const i = next++;
      const t = performance.now();
      await phase.run(i).catch(() => {
        errors += 1;
      });
      samples[i] = performance.now() - t;
      tick();
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, ops) }, worker));
  const seconds = (performance.now() - started) / 1000;
  stop();

  const sorted = samples.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    name: phase.name,
    ops,
    opsPerSec: Math.round(ops / seconds),
    p50: round(quantile(sorted, 0.5)),
    p99: round(quantile(sorted, 0.99)),
    errors,
  };
}
