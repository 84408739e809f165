import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { InvalidOptionError } from "../errors.js";
import { boundedLabel } from "./labels.js";
import type { StatsSource } from "./stats.js";

export interface PrometheusOptions {
  /** Where the metrics register; pass prom-client's `register` to join your app's. @default a new Registry */
  registry?: Registry;
  /** Prepended to every metric name. @default "authcache_" */
  prefix?: string;
}

/** The registry the metrics live in, and a way to detach them from the cache. */
export interface PrometheusMetrics {
  readonly registry: Registry;
  stop(): void;
}

/** Store calls take well under a millisecond on a local Redis and tens over a REST API. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const BREAKER_VALUE = { closed: 0, "half-open": 1, open: 2 } as const;

/** The binding per registry, so a second call (a dev server's hot reload) replaces the first. */
const bound = new WeakMap<Registry, () => void>();

/**
 * Turns the cache's events into Prometheus metrics: hits and misses per kind and tier (and their
 * ratio), fallbacks to `loadUser`, store errors by operation and code, revocations by reason,
 * store latency and jwt callback duration histograms, and the circuit breaker's state
 * (0 closed, 1 half-open, 2 open). No label ever carries an id, and open-ended label values
 * are capped, so the number of series stays small.
 *
 * @example
 * export const metrics = createPrometheusMetrics(cache);
 * // app/api/metrics/route.ts
 * export const GET = createMetricsHandler(metrics);
 */
export function createPrometheusMetrics(
  cache: StatsSource,
  options: PrometheusOptions = {},
): PrometheusMetrics {
  const registry = options.registry ?? new Registry();
  const p = options.prefix ?? "authcache_";
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(p)) {
    throw new InvalidOptionError(
      "prefix",
      "use letters, digits, _ and :, not starting with a digit",
    );
  }

  bound.get(registry)?.();
  const registers = [registry];
  const fresh = (name: string) => {
    // A metric of the same name from an earlier binding is replaced, not duplicated.
    registry.removeSingleMetric(`${p}${name}`);
    return `${p}${name}`;
  };
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name: fresh(name), help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Histogram<L>({ name: fresh(name), help, labelNames, buckets: LATENCY_BUCKETS, registers });

  const hits = counter("cache_hits_total", "Lookups answered from the cache.", ["kind", "tier"]);
  const misses = counter("cache_misses_total", "Lookups that found nothing usable.", [
    "kind",
    "tier",
  ]);
  const fallbacks = counter("fallbacks_total", "Reads served by loadUser instead of the store.", [
    "kind",
    "reason",
  ]);
  const errors = counter("store_errors_total", "Store calls that failed or timed out.", [
    "store",
    "op",
    "code",
  ]);
  const revocations = counter("revocations_total", "Sessions revoked, by reason.", ["reason"]);
  const transitions = counter("breaker_transitions_total", "Circuit breaker state changes.", [
    "store",
    "state",
  ]);
  const latency = histogram("store_latency_seconds", "Store call latency.", ["store", "op"]);
  const jwt = histogram("jwt_duration_seconds", "jwt callback duration.", ["trigger", "outcome"]);

  new Gauge({
    name: fresh("cache_hit_ratio"),
    help: "Hits / (hits + misses) since start, per kind and tier.",
    labelNames: ["kind", "tier"],
    registers,
    async collect() {
      this.reset();
      const ratios = hitRatios((await hits.get()).values, (await misses.get()).values);
      for (const { labels, ratio } of ratios) this.set(labels, ratio);
    },
  });
  new Gauge({
    name: fresh("breaker_state"),
    help: "Store circuit breaker: 0 closed, 1 half-open, 2 open.",
    labelNames: ["store"],
    registers,
    collect() {
      this.set({ store: cache.store.kind }, BREAKER_VALUE[cache.store.breakerState]);
    },
  });

  const op = boundedLabel();
  const code = boundedLabel();
  const outcome = boundedLabel();

  const unsubscribe = cache.on((event) => {
    switch (event.type) {
      case "hit":
        hits.inc({ kind: event.kind, tier: event.tier });
        break;
      case "miss":
        misses.inc({ kind: event.kind, tier: event.tier });
        break;
      case "fallback":
        fallbacks.inc({ kind: event.kind, reason: event.reason });
        break;
      case "error":
        errors.inc({ store: event.store, op: op(event.op), code: code(event.code) });
        break;
      case "store-latency":
        latency.observe({ store: event.store, op: op(event.op) }, event.ms / 1000);
        break;
      case "revoked":
        revocations.inc({ reason: event.reason });
        break;
      case "breaker":
        transitions.inc({ store: event.store, state: event.state });
        break;
      case "jwt":
        jwt.observe({ trigger: event.trigger, outcome: outcome(event.outcome) }, event.ms / 1000);
        break;
    }
  });

  const stop = () => {
    unsubscribe();
    if (bound.get(registry) === stop) bound.delete(registry);
  };
  bound.set(registry, stop);
  return { registry, stop };
}

type Sample = { labels: Partial<Record<string, string | number>>; value: number };

/** Hit ratio per (kind, tier), from the two counters' current values. */
function hitRatios(hits: Sample[], misses: Sample[]) {
  const totals = new Map<
    string,
    { labels: { kind: string; tier: string }; hits: number; all: number }
  >();
  const add = (samples: Sample[], hit: boolean) => {
    for (const { labels, value } of samples) {
      const kind = String(labels.kind);
      const tier = String(labels.tier);
      const total = totals.get(`${kind}|${tier}`) ?? { labels: { kind, tier }, hits: 0, all: 0 };
      total.all += value;
      if (hit) total.hits += value;
      totals.set(`${kind}|${tier}`, total);
    }
  };

  add(hits, true);
  add(misses, false);
  return [...totals.values()]
    .filter((t) => t.all > 0)
    .map((t) => ({ labels: t.labels, ratio: t.hits / t.all }));
}
