import type { HealthTarget } from "../health/checks.js";
import { createSharedHealthRun, type SharedRunOptions } from "../health/shared-run.js";
import { createBearerCheck } from "./bearer.js";
import { jsonResponse, unauthorized } from "./respond.js";

export interface HealthHandlerOptions extends SharedRunOptions {
  /**
   * When set, readiness requests must carry `Authorization: Bearer <token>`; others get 401
   * before the store is touched. The liveness probe stays open: it reads nothing.
   * @example createHealthHandler(cache, { token: process.env.HEALTH_TOKEN })
   */
  token?: string;
}

/**
 * A Web `Request → Response` handler for a health route, e.g. `app/api/health/redis/route.ts`:
 * `export const GET = createHealthHandler(cache)`.
 *
 * - `GET ?probe=live`: liveness. 200 while the process can answer; no store I/O, so a store
 *   outage never gets the app restarted.
 * - `GET`: readiness. Pings the store and round-trips each cache operation on synthetic entries
 *   it deletes; 200 when every check passes within its budget, 503 otherwise, with each check's
 *   latency and a short failure code. Concurrent requests share one run.
 *
 * Answers carry `Cache-Control: no-store`, and never a URL, token, stack trace or user data.
 */
export function createHealthHandler(
  cache: HealthTarget,
  options: HealthHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const authorized = createBearerCheck(options.token);
  const run = createSharedHealthRun(cache, options);

  return async (request) => {
    if (probeOf(request) === "live") return jsonResponse(200, { status: "ok", probe: "live" });
    if (!(await authorized(request))) return unauthorized();

    try {
      const report = await run();
      return jsonResponse(report.status === "ok" ? 200 : 503, { probe: "ready", ...report });
    } catch {
      // The run never throws; this guards the contract that a probe always gets an answer.
      return jsonResponse(503, { status: "fail", probe: "ready", code: "internal" });
    }
  };
}

function probeOf(request: Request): string | null {
  try {
    return new URL(request.url).searchParams.get("probe");
  } catch {
    return null;
  }
}
