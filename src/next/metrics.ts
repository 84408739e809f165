import { createBearerCheck } from "./bearer.js";
import { textResponse, unauthorized } from "./respond.js";

/** A prom-client `Registry`, or anything that renders the Prometheus text format the same way. */
export interface MetricsSource {
  metrics(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsHandlerOptions {
  /** When set, requests must carry `Authorization: Bearer <token>`; others get 401. */
  token?: string;
}

/**
 * A Web `Request → Response` handler serving metrics in the Prometheus text format, e.g. in
 * `app/api/metrics/route.ts`: `export const GET = createMetricsHandler(metrics)`, where
 * `metrics` comes from `createPrometheusMetrics` (or is your own prom-client registry).
 * prom-client is not imported here, so `authcache/next` never needs it.
 */
export function createMetricsHandler(
  source: MetricsSource | { readonly registry: MetricsSource },
  options: MetricsHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const registry = "registry" in source ? source.registry : source;
  const authorized = createBearerCheck(options.token);

  return async (request) => {
    if (!(await authorized(request))) return unauthorized();

    try {
      return textResponse(200, await registry.metrics(), registry.contentType);
    } catch {
      // A failing custom collector must not turn into a stack trace on a public route.
      return textResponse(500, "# metrics unavailable\n", "text/plain; charset=utf-8");
    }
  };
}
