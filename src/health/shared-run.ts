import type { HealthTarget } from "./checks.js";
import { type HealthReport, type HealthRunOptions, runHealthChecks } from "./run.js";

export interface SharedRunOptions extends HealthRunOptions {
  /**
   * Milliseconds a finished run's report is served again to later callers, so that a burst of
   * probes (or someone polling the endpoint in a loop) costs the store one run.
   * @default 1000
   */
  reuseMs?: number;
}

/**
 * Health runs that callers share: while one is in flight every caller awaits it, and its report
 * is reused for `reuseMs` after it ends. A hundred concurrent probes make one run.
 */
export function createSharedHealthRun(
  cache: HealthTarget,
  options: SharedRunOptions = {},
): () => Promise<HealthReport> {
  const reuseMs = options.reuseMs ?? 1000;
  let inFlight: Promise<HealthReport> | undefined;
  let last: { report: HealthReport; at: number } | undefined;

  return () => {
    if (inFlight) return inFlight;
    if (last && performance.now() - last.at < reuseMs) return Promise.resolve(last.report);

    const run = runHealthChecks(cache, options)
      .then((report) => {
        last = { report, at: performance.now() };
        return report;
      })
      .finally(() => {
        inFlight = undefined;
      });
    inFlight = run;
    return run;
  };
}
