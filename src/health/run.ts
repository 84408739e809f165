import type { BreakerState } from "../guard/circuit-breaker.js";
import { type CheckFn, type CheckName, type HealthTarget, syntheticRun } from "./checks.js";
import { CheckFailure, checkErrorCode } from "./error-code.js";

export interface HealthRunOptions {
  /**
   * Milliseconds one check (a write and a read back) may take and still pass. A slower store
   * would push the app's own calls past the cache's timeout, so it fails readiness.
   * @default 250
   */
  budgetMs?: number;
  /**
   * Milliseconds the whole run may take; checks still pending then fail with "timeout", so the
   * answer arrives in time even when the store hangs. Below Kubernetes' default 1 s probe timeout.
   * @default 800
   */
  timeoutMs?: number;
}

/** One check's outcome. `code` says why it failed and never carries a URL, key or user data. */
export interface CheckResult {
  name: CheckName;
  ok: boolean;
  ms: number;
  budgetMs: number;
  code?: string;
  /** The check did not apply (the email map needs the app's secret). */
  skipped?: true;
}

/** The body of a readiness answer. */
export interface HealthReport {
  status: "ok" | "fail";
  store: string;
  breaker: BreakerState;
  ms: number;
  checks: CheckResult[];
  checkedAt: string;
}

const OP_CHECKS = ["session", "email", "profile", "blacklist"] as const;

/**
 * Pings the store, then round-trips each operation on synthetic entries it deletes afterwards.
 * Store calls go through the cache's guard, as the app's own do: with the breaker open the run
 * fails at once ("breaker-open"), and after its cooldown the run's ping is the probe that
 * closes it again. Never throws.
 */
export async function runHealthChecks(
  cache: HealthTarget,
  options: HealthRunOptions = {},
): Promise<HealthReport> {
  const budgetMs = options.budgetMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 800;
  const started = performance.now();
  const deadline = started + timeoutMs;
  const run = syntheticRun(cache);

  const ping = await timed("ping", run.ping, budgetMs, deadline);
  const pingReached = ping.ok || ping.code === "slow";

  // Without an answer to PING the other checks would only wait for the same timeout again.
  const rest = await Promise.all(
    OP_CHECKS.map((name): Promise<CheckResult> => {
      const fn = run.checks[name];
      if (fn === null) return Promise.resolve({ name, ok: true, ms: 0, budgetMs, skipped: true });
      if (!pingReached)
        return Promise.resolve({ name, ok: false, ms: 0, budgetMs, code: "not-run" });
      return timed(name, fn, budgetMs, deadline);
    }),
  );

  if (pingReached) {
    // Entries left by a failed cleanup expire on their own within seconds.
    const cleanup = run.cleanup().catch(() => undefined);
    await withDeadline(cleanup, deadline).catch(() => undefined);
  }

  const checks = [ping, ...rest];
  return {
    status: checks.every((c) => c.ok) ? "ok" : "fail",
    store: cache.store.kind,
    breaker: cache.store.breakerState,
    ms: round(performance.now() - started),
    checks,
    checkedAt: new Date().toISOString(),
  };
}

async function timed(
  name: CheckName,
  fn: CheckFn,
  budgetMs: number,
  deadline: number,
): Promise<CheckResult> {
  const started = performance.now();
  try {
    await withDeadline(fn(), deadline);
    const ms = round(performance.now() - started);
    if (ms > budgetMs) return { name, ok: false, ms, budgetMs, code: "slow" };
    return { name, ok: true, ms, budgetMs };
  } catch (error) {
    return {
      name,
      ok: false,
      ms: round(performance.now() - started),
      budgetMs,
      code: checkErrorCode(error),
    };
  }
}

/** Rejects with "timeout" at `deadline` (a `performance.now()` time); a late result is absorbed. */
function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  promise.catch(() => undefined);
  const left = deadline - performance.now();
  if (left <= 0) return Promise.reject(new CheckFailure("timeout"));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailure("timeout")), left);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
