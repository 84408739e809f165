/**
 * The performance goals, judged on the figures of the same run. A goal whose rows did not run
 * here (a feature missing from this build, no DATABASE_URL) is reported as not measured.
 */
import type { MemoryRow } from "./memory.js";
import type { RevocationRow } from "./revocation.js";
import type { ReadRow } from "./session-reads.js";

export interface GoalResult {
  goal: string;
  /** What was compared, with the figures. */
  detail: string;
  value: number | null;
  target: string;
  /** `null` when the run could not measure it. */
  reached: boolean | null;
}

export function judgeGoals(
  reads: ReadRow[],
  revocation: RevocationRow[],
  memory: MemoryRow[],
): GoalResult[] {
  const p50 = (id: string) => {
    const row = reads.find((r) => r.id === id);
    return row?.status === "measured" && row.p50 !== null ? { row, p50: row.p50 } : null;
  };
  // The fullest authcache setup this build has: the codec variant when it ran.
  const best = (...ids: string[]) => ids.map(p50).find((r) => r !== null) ?? null;
  const coreRedis = best("authcache-core-redis-codec", "authcache-core-redis");
  const v4Redis = best("authcache-v4-redis-codec", "authcache-v4-redis");
  const v4L1 = best("authcache-v4-redis-l1-codec", "authcache-v4-redis-l1");

  const goals: GoalResult[] = [
    atMost(
      "@auth/core on Redis at least as fast as better-auth getSession",
      coreRedis,
      p50("peer-better-auth-redis"),
      1,
    ),
    atMost(
      "@auth/core on Redis at least as fast as the database strategy over Redis TCP",
      coreRedis,
      p50("peer-core-unstorage-redis"),
      1,
    ),
    atLeast(
      "@auth/core on Redis about 3× faster than its stateless JWT",
      coreRedis,
      p50("peer-core-stateless"),
      3,
    ),
    atMost(
      "next-auth v4 on Redis, no L1: at most 1.25× its stateless JWT",
      v4Redis,
      p50("peer-v4-stateless"),
      1.25,
    ),
    atMost(
      "next-auth v4 on Redis + L1: at most 1.05× its stateless JWT",
      v4L1,
      p50("peer-v4-stateless"),
      1.05,
    ),
    atLeast(
      "@auth/core on Redis at least 10× faster than a query per request on Postgres",
      coreRedis,
      p50("peer-core-postgres"),
      10,
    ),
  ];

  const l1 = revocation.find((r) => r.variant === "redis-l1");
  const l1p99 = l1?.status === "measured" ? l1.p99 : null;
  goals.push({
    goal: "revocation seen by another instance in under 50 ms at p99, L1 on",
    detail:
      l1p99 === null
        ? (l1?.reason ?? "not measured")
        : `p99 ${ms(l1p99)} over ${l1?.trials} trials`,
    value: l1p99,
    target: "< 50 ms",
    reached: l1p99 === null ? null : l1p99 < 50,
  });

  const redis = memory.find((m) => m.store === "redis");
  goals.push({
    goal: "under 1 KB of Redis memory per cached session",
    detail: redis
      ? `${Math.round(redis.bytesPerSession)} B per session (token and device-list entry)`
      : "not measured",
    value: redis?.bytesPerSession ?? null,
    target: "< 1024 B",
    reached: redis ? redis.bytesPerSession < 1024 : null,
  });
  return goals;
}

type Measured = { row: ReadRow; p50: number } | null;

/** Ours over theirs must stay at or below `limit`. */
function atMost(goal: string, ours: Measured, theirs: Measured, limit: number): GoalResult {
  return ratio(
    goal,
    ours,
    theirs,
    `≤ ${limit}×`,
    (r) => r <= limit,
    (o, t) => o / t,
  );
}

/** Theirs over ours (how many times faster) must reach `factor`. */
function atLeast(goal: string, ours: Measured, theirs: Measured, factor: number): GoalResult {
  return ratio(
    goal,
    ours,
    theirs,
    `≥ ${factor}× faster`,
    (r) => r >= factor,
    (o, t) => t / o,
  );
}

function ratio(
  goal: string,
  ours: Measured,
  theirs: Measured,
  target: string,
  test: (r: number) => boolean,
  compute: (ours: number, theirs: number) => number,
): GoalResult {
  if (!ours || !theirs) {
    const missing = [!ours ? "authcache row" : null, !theirs ? "comparison row" : null]
      .filter(Boolean)
      .join(" and ");
    return {
      goal,
      detail: `not measured: ${missing} did not run`,
      value: null,
      target,
      reached: null,
    };
  }
  const value = compute(ours.p50, theirs.p50);
  return {
    goal,
    detail: `${ours.row.label} ${ms(ours.p50)} vs ${theirs.row.label} ${ms(theirs.p50)}: ${value.toFixed(2)}×`,
    value,
    target,
    reached: test(value),
  };
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 3 : 1)} ms`;
