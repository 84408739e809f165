/**
 * GET session through the real handlers, one row per way of reading a session, in one run:
 * latency (sequential, rounds interleaved so drift on a shared machine hits every row alike),
 * throughput with a fixed number of reads in flight, and what one read costs in store round
 * trips and database queries, counted on a separate instance behind the counting relay.
 */
import type { BenchEnv } from "./env.js";
import { interleaved, throughput } from "./measure.js";
import type { RowSpec, SessionReader } from "./reader.js";

export interface ReadSettings {
  rounds: number;
  perRound: number;
  /** Sequential reads the counting pass averages over. */
  countReads: number;
  throughputReads: number;
  inFlight: number;
}

export interface ReadRow {
  id: string;
  label: string;
  group: "peer" | "authcache";
  status: "measured" | "unavailable" | "failed";
  /** Why a row has no figures. */
  reason: string | null;
  /** Milliseconds, median over rounds of each round's percentile. */
  p50: number | null;
  p99: number | null;
  /** Redis round trips plus Upstash-protocol HTTP requests, per read. */
  storeTrips: number | null;
  dbQueries: number | null;
  /** Reads per second with `inFlight` reads outstanding. */
  throughput: number | null;
}

type Log = (line: string) => void;

export async function benchSessionReads(
  env: BenchEnv,
  specs: RowSpec[],
  settings: ReadSettings,
  log: Log,
): Promise<ReadRow[]> {
  const rows = new Map<string, ReadRow>();
  const readers = new Map<string, SessionReader>();

  for (const spec of specs) {
    const row = emptyRow(spec);
    rows.set(spec.id, row);
    if (spec.unavailable !== undefined || !spec.build) continue;
    try {
      readers.set(spec.id, await spec.build(env.context(`bench:${spec.id}`, false)));
    } catch (error) {
      fail(row, error);
    }
  }

  try {
    log(`session reads: latency of ${readers.size} rows`);
    // A row whose reads start failing is reported as failed; the other rows carry on.
    const errors = new Map<string, unknown>();
    const ops = Object.fromEntries(
      [...readers].map(([id, reader]) => [
        id,
        () => reader.read().catch((error: unknown) => void errors.set(id, error)),
      ]),
    );
    const latencies = await interleaved(ops, settings.rounds, settings.perRound);
    for (const [id, l] of Object.entries(latencies)) {
      const row = rows.get(id);
      if (row) Object.assign(row, { status: "measured", p50: l.p50, p99: l.p99 });
      if (row && errors.has(id)) {
        fail(row, errors.get(id));
        await readers
          .get(id)
          ?.close()
          .catch(() => {});
        readers.delete(id);
      }
    }

    log(`session reads: throughput with ${settings.inFlight} in flight`);
    for (const [id, reader] of readers) {
      const row = rows.get(id);
      if (!row) continue;
      row.throughput = await throughput(
        () => reader.read(),
        settings.throughputReads,
        settings.inFlight,
      ).catch((error: unknown) => fail(row, error));
    }
  } finally {
    for (const reader of readers.values()) await reader.close().catch(() => {});
  }

  log("session reads: counting store round trips and queries");
  for (const spec of specs) {
    const row = rows.get(spec.id);
    // Only rows that ran are counted; the others keep their reason.
    if (!row || !spec.build) continue;
    if (row.status !== "measured") continue;
    await count(env, spec, row, settings.countReads).catch((error: unknown) => fail(row, error));
  }
  return [...rows.values()];
}

/** A fresh instance behind the relay: after a warm-up, what `n` sequential reads cost. */
async function count(env: BenchEnv, spec: RowSpec, row: ReadRow, n: number): Promise<void> {
  const ctx = env.context(`bench:${spec.id}:counted`, true);
  const reader = await spec.build!(ctx);
  try {
    for (let i = 0; i < 10; i++) await reader.read();
    const trips = env.proxy.trips;
    const http = env.upstash.requests;
    const queries = ctx.sql.queries;

    for (let i = 0; i < n; i++) await reader.read();

    row.storeTrips = (env.proxy.trips - trips + (env.upstash.requests - http)) / n;
    row.dbQueries = (ctx.sql.queries - queries) / n;
  } finally {
    await reader.close();
  }
}

function emptyRow(spec: RowSpec): ReadRow {
  return {
    id: spec.id,
    label: spec.label,
    group: spec.group,
    status: spec.unavailable === undefined ? "failed" : "unavailable",
    reason: spec.unavailable ?? null,
    p50: null,
    p99: null,
    storeTrips: null,
    dbQueries: null,
    throughput: null,
  };
}

function fail(row: ReadRow, error: unknown): null {
  row.status = "failed";
  row.reason = `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
  row.p50 = row.p99 = row.storeTrips = row.dbQueries = row.throughput = null;
  return null;
}
