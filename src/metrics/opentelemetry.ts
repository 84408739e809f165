import { type Attributes, type Meter, metrics, type ObservableResult } from "@opentelemetry/api";
import { boundedLabel } from "./labels.js";
import type { StatsSource } from "./stats.js";

export interface OpenTelemetryOptions {
  /** The meter to record with. @default metrics.getMeter("authcache") from the global provider */
  meter?: Meter;
  /** Prepended to every instrument name. @default "authcache." */
  prefix?: string;
}

const BREAKER_VALUE = { closed: 0, "half-open": 1, open: 2 } as const;

/**
 * Records the cache's events with an OpenTelemetry meter, for apps that export metrics through
 * an OpenTelemetry SDK rather than Prometheus: the same hits and misses (and their ratio) per
 * kind and tier, fallbacks, store errors, revocations, store latency and jwt callback duration
 * (seconds), and the breaker's state. Attributes never carry ids. Without an SDK registered,
 * the global meter records nothing and costs next to nothing.
 *
 * @example
 * createOpenTelemetryMetrics(cache); // after the SDK's MeterProvider is registered
 */
export function createOpenTelemetryMetrics(
  cache: StatsSource,
  options: OpenTelemetryOptions = {},
): { stop(): void } {
  const meter = options.meter ?? metrics.getMeter("authcache");
  const p = options.prefix ?? "authcache.";

  const hits = meter.createCounter(`${p}cache.hits`, {
    description: "Lookups answered from the cache.",
  });
  const misses = meter.createCounter(`${p}cache.misses`, {
    description: "Lookups that found nothing usable.",
  });
  const fallbacks = meter.createCounter(`${p}fallbacks`, {
    description: "Reads served by loadUser.",
  });
  const errors = meter.createCounter(`${p}store.errors`, {
    description: "Store calls that failed.",
  });
  const revocations = meter.createCounter(`${p}revocations`, { description: "Sessions revoked." });
  const transitions = meter.createCounter(`${p}breaker.transitions`, {
    description: "Breaker state changes.",
  });
  const latency = meter.createHistogram(`${p}store.duration`, {
    description: "Store call latency.",
    unit: "s",
  });
  const jwt = meter.createHistogram(`${p}jwt.duration`, {
    description: "jwt callback duration.",
    unit: "s",
  });
  const breaker = meter.createObservableGauge(`${p}breaker.state`, {
    description: "Store circuit breaker: 0 closed, 1 half-open, 2 open.",
  });
  const ratio = meter.createObservableGauge(`${p}cache.hit_ratio`, {
    description: "Hits / (hits + misses) since start, per kind and tier.",
  });

  // Counts kept here for the ratio, which an exporter cannot derive from two counters itself.
  const lookups = new Map<string, { attrs: Attributes; hits: number; all: number }>();
  const observeBreaker = (result: ObservableResult) =>
    result.observe(BREAKER_VALUE[cache.store.breakerState], { store: cache.store.kind });
  const observeRatio = (result: ObservableResult) => {
    for (const l of lookups.values()) if (l.all > 0) result.observe(l.hits / l.all, l.attrs);
  };
  breaker.addCallback(observeBreaker);
  ratio.addCallback(observeRatio);

  const op = boundedLabel();
  const code = boundedLabel();
  const outcome = boundedLabel();

  const unsubscribe = cache.on((event) => {
    switch (event.type) {
      case "hit":
      case "miss": {
        const attrs = { kind: event.kind, tier: event.tier };
        const key = `${event.kind}|${event.tier}`;
        const l = lookups.get(key) ?? { attrs, hits: 0, all: 0 };
        l.all += 1;
        if (event.type === "hit") l.hits += 1;
        lookups.set(key, l);
        (event.type === "hit" ? hits : misses).add(1, attrs);
        break;
      }
      case "fallback":
        fallbacks.add(1, { kind: event.kind, reason: event.reason });
        break;
      case "error":
        errors.add(1, { store: event.store, op: op(event.op), code: code(event.code) });
        break;
      case "store-latency":
        latency.record(event.ms / 1000, { store: event.store, op: op(event.op) });
        break;
      case "revoked":
        revocations.add(1, { reason: event.reason });
        break;
      case "breaker":
        transitions.add(1, { store: event.store, state: event.state });
        break;
      case "jwt":
        jwt.record(event.ms / 1000, { trigger: event.trigger, outcome: outcome(event.outcome) });
        break;
    }
  });

  return {
    stop() {
      unsubscribe();
      breaker.removeCallback(observeBreaker);
      ratio.removeCallback(observeRatio);
    },
  };
}
