/**
 * Operations endpoints for Next.js route handlers (or any Web `Request → Response` runtime):
 * a health check with liveness and readiness probes, and a Prometheus metrics endpoint. Nothing
 * here imports `node:` modules or prom-client, so it runs on edge runtimes too.
 */
export type { CheckName, HealthTarget } from "../health/checks.js";
export {
  type CheckResult,
  type HealthReport,
  type HealthRunOptions,
  runHealthChecks,
} from "../health/run.js";
export { createSharedHealthRun, type SharedRunOptions } from "../health/shared-run.js";
export {
  type CacheStats,
  type CacheStatsOptions,
  type CacheStatsSnapshot,
  createCacheStats,
  type HitStats,
  type StatsSource,
} from "../metrics/stats.js";
export type { LatencySummary } from "../metrics/window.js";
export { createHealthHandler, type HealthHandlerOptions } from "./health.js";
export { createMetricsHandler, type MetricsHandlerOptions, type MetricsSource } from "./metrics.js";
