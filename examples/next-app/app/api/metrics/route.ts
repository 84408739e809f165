import { createMetricsHandler } from "authcache/next";
import { demo } from "@/lib/cache";

export const dynamic = "force-dynamic";

let handler: ((request: Request) => Promise<Response>) | undefined;

/** The cache's metrics in the Prometheus text format. Set METRICS_TOKEN to require a bearer. */
export function GET(request: Request): Promise<Response> {
  handler ??= createMetricsHandler(demo().metrics, {
    token: process.env.METRICS_TOKEN || undefined,
  });
  return handler(request);
}
