import { type AuthCache, createAuthCache } from "authcache";
import {
  type CacheStats,
  createCacheStats,
  createSharedHealthRun,
  type HealthReport,
} from "authcache/next";
import { createPrometheusMetrics, type PrometheusMetrics } from "authcache/prometheus";
import { logger } from "./logger";
import { authSecret } from "./secret";
import { chooseStore } from "./store";
import { loadProfile } from "./users";

export interface Demo {
  cache: AuthCache;
  /** Hit ratios and latencies since start, for the status page. */
  stats: CacheStats;
  /**
   * The status page's health run, shared: however many people load or reload the page, the
   * store sees at most one run a second.
   */
  health: () => Promise<HealthReport>;
  /** The same events as Prometheus metrics, for `GET /api/metrics`. */
  metrics: PrometheusMetrics;
  /** "memory", "Redis" or "Upstash", and why. */
  storeLabel: string;
  storeSource: string;
}

// One cache per process, kept on globalThis: Next.js bundles the proxy, the route handlers and
// the pages apart, and a module-level value would exist once per bundle. With the memory store
// that would mean three separate sets of sessions, and a revocation seen by only one of them.
const KEY = Symbol.for("authcache-demo.cache");
const holder = globalThis as { [KEY]?: Demo };

export function demo(): Demo {
  holder[KEY] ??= create();
  return holder[KEY];
}

/** The cache the whole app shares. */
export function cache(): AuthCache {
  return demo().cache;
}

function create(): Demo {
  const { store, label, source } = chooseStore();

  const authCache = createAuthCache({
    store,
    secret: authSecret(),
    loadUser: loadProfile,
    // A store outage keeps people signed in on their signed cookies; the database still serves
    // their profiles. Set "deny" where a revoked session must never get through, even then.
    onStoreDown: "allow",
    // A store outage shows in the terminal as a few rate-limited warnings, not one per request.
    logger,
  });

  return {
    cache: authCache,
    // Both listen from the cache's first event on, so the status page covers the whole uptime.
    stats: createCacheStats(authCache),
    health: createSharedHealthRun(authCache),
    metrics: createPrometheusMetrics(authCache),
    storeLabel: label,
    storeSource: source,
  };
}
