/**
 * The benchmark still runs end to end: a quick run with tiny counts answers, as JSON, every row of
 * the session-read table with finite figures (or the reason it could not run here), both
 * revocation variants, both memory figures and every goal. Timings are not judged here.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

const ROWS = [
  "peer-v4-stateless",
  "peer-core-stateless",
  "peer-core-upstash-adapter",
  "peer-core-unstorage-redis",
  "peer-better-auth-redis",
  "peer-core-sqlite",
  "peer-core-postgres",
  ...["v4", "core"].flatMap((lib) =>
    ["", "-codec"].flatMap((codec) =>
      ["memory", "redis", "redis-l1", "upstash"].map((s) => `authcache-${lib}-${s}${codec}`),
    ),
  ),
];
// These need nothing that a machine of this project lacks, so they must always measure.
const ALWAYS = [
  "peer-v4-stateless",
  "peer-core-stateless",
  "peer-core-upstash-adapter",
  "peer-core-unstorage-redis",
  "peer-better-auth-redis",
  "peer-core-sqlite",
  "authcache-v4-memory",
  "authcache-v4-redis",
  "authcache-v4-upstash",
  "authcache-core-memory",
  "authcache-core-redis",
  "authcache-core-upstash",
];

interface Row {
  id: string;
  status: string;
  reason: string | null;
  [figure: string]: unknown;
}

describe("npm run bench", () => {
  it("a quick run reports every row with finite figures or the reason it did not run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "bench/run.ts", "--quick", "--json"],
      { maxBuffer: 16 << 20, timeout: 170_000 },
    );
    const result = JSON.parse(stdout) as {
      sessionReads: Row[];
      revocation: Row[];
      memory: Record<string, unknown>[];
      goals: { reached: boolean | null }[];
    };

    const byId = new Map(result.sessionReads.map((row) => [row.id, row]));
    expect([...byId.keys()].sort()).toEqual([...ROWS].sort());

    for (const row of result.sessionReads) {
      if (row.status === "measured") {
        for (const figure of ["p50", "p99", "storeTrips", "dbQueries", "throughput"]) {
          expect(Number.isFinite(row[figure]), `${row.id} ${figure}`).toBe(true);
        }
      } else {
        expect(row.status, `${row.id}: ${row.reason}`).toBe("unavailable");
        expect(row.reason).toMatch(/not available in this build|not installable|skipped/);
      }
    }
    for (const id of ALWAYS) expect(byId.get(id)?.status, id).toBe("measured");

    expect(result.revocation.map((r) => r.status)).not.toContain("failed");
    expect(result.revocation.find((r) => r.variant === "redis")?.status).toBe("measured");
    expect(result.memory).toHaveLength(2);
    for (const m of result.memory) expect(Number.isFinite(m.bytesPerSession)).toBe(true);
    expect(result.goals.length).toBeGreaterThanOrEqual(8);
  }, 180_000);
});
