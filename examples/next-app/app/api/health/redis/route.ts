import { createHealthHandler } from "authcache/next";
import { cache } from "@/lib/cache";

export const dynamic = "force-dynamic";

let handler: ((request: Request) => Promise<Response>) | undefined;

/**
 * Readiness of the cache store: a ping, then a round trip of each cache operation; 200 or 503.
 * `?probe=live` answers without touching the store. (Named "redis" after the usual store; it
 * checks whichever store the app runs on.)
 */
export function GET(request: Request): Promise<Response> {
  handler ??= createHealthHandler(cache(), { token: process.env.HEALTH_TOKEN || undefined });
  return handler(request);
}
