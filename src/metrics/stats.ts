import type { CacheEvent, CacheKind, CacheTier } from "../cache/events.js";
import type { BreakerState } from "../guard/circuit-breaker.js";
import { boundedLabel } from "./labels.js";
import { type LatencySummary, SampleWindow } from "./window.js";

/** What the collector needs from a cache: its events and its store's breaker. */
export interface StatsSource {
  on(listener: (event: CacheEvent) => void): () => void;
  readonly store: { readonly kind: string; readonly breakerState: BreakerState };
}

/** Hits and misses of one kind of entry; `ratio` is `null` until there was a lookup. */
export interface HitStats {
  hits: number;
  misses: number;
  ratio: number | null;
}

/** A plain, JSON-ready picture of the cache since the collector started (or was reset). */
export interface CacheStatsSnapshot {
  since: string;
  store: string;
  breaker: { state: BreakerState; changes: number };
  /**
   * Every kind together, then per kind (`session`, `profile`, `email`, …): how often a lookup
   * was answered by a cache, whichever tier. Then per tier: an L1 miss goes on to the store, so
   * it counts only in `byTier.l1`.
   */
  hits: HitStats & {
    byKind: Partial<Record<CacheKind, HitStats>>;
    byTier: Partial<Record<CacheTier, HitStats>>;
  };
  /** Reads served by `loadUser` instead of the store, by `<kind>:<reason>`. */
  fallbacks: Record<string, number>;
  /** Failed store calls by operation, then by code. */
  errors: { total: number; byOp: Record<string, Record<string, number>> };
  /** Store call latency by operation (ms). */
  latency: Record<string, LatencySummary>;
  revocations: Record<string, number>;
  /** jwt callback duration by trigger (ms), and its outcomes. */
  jwt: Record<string, LatencySummary & { outcomes: Record<string, number> }>;
}

export interface CacheStats {
  snapshot(): CacheStatsSnapshot;
  /** Starts counting afresh (e.g. after a deploy, or for a benchmark). */
  reset(): void;
  /** Unsubscribes from the cache. */
  stop(): void;
}

export interface CacheStatsOptions {
  /** Latest samples kept per operation for percentiles. @default 1024 */
  window?: number;
}

/**
 * An in-process collector of the cache's events: hit ratio per kind, fallbacks, errors, store
 * latency percentiles, breaker state, revocations and jwt callback timings. Memory is bounded
 * (a fixed window per operation, label values capped), so it can run for the process's life;
 * it feeds a status page or a log line without any metrics backend.
 *
 * @example
 * const stats = createCacheStats(cache);
 * console.log(stats.snapshot().hits.ratio);
 */
export function createCacheStats(cache: StatsSource, options: CacheStatsOptions = {}): CacheStats {
  const size = options.window ?? 1024;
  let state = fresh();
  const op = boundedLabel();
  const code = boundedLabel();
  const outcome = boundedLabel();

  const count = (map: Record<string, number>, key: string) => {
    map[key] = (map[key] ?? 0) + 1;
  };
  const window = () => new SampleWindow(size);

  const unsubscribe = cache.on((event) => {
    switch (event.type) {
      case "hit":
      case "miss": {
        const tier = entry(state.byTier, event.tier, () => ({ hits: 0, misses: 0 }));
        if (event.type === "hit") tier.hits += 1;
        else tier.misses += 1;
        if (event.type === "miss" && event.tier === "l1") break;

        const kind = entry(state.byKind, event.kind, () => ({ hits: 0, misses: 0 }));
        if (event.type === "hit") kind.hits += 1;
        else kind.misses += 1;
        break;
      }
      case "fallback":
        count(state.fallbacks, `${event.kind}:${event.reason}`);
        break;
      case "error": {
        state.errorTotal += 1;
        count(
          entry(state.errors, op(event.op), () => ({})),
          code(event.code),
        );
        break;
      }
      case "store-latency":
        entry(state.latency, op(event.op), window).add(event.ms);
        break;
      case "revoked":
        count(state.revocations, event.reason);
        break;
      case "breaker":
        state.breakerChanges += 1;
        break;
      case "jwt": {
        const jwt = entry(state.jwt, event.trigger, () => ({ window: window(), outcomes: {} }));
        jwt.window.add(event.ms);
        count(jwt.outcomes, outcome(event.outcome));
        break;
      }
    }
  });

  return {
    snapshot: () => render(state, cache),
    reset() {
      state = fresh();
    },
    stop: () => {
      unsubscribe();
    },
  };
}

type State = ReturnType<typeof fresh>;

/** The map's entry under `key`, created on first use. */
function entry<K extends string, V>(map: Partial<Record<K, V>>, key: K, make: () => V): V {
  const existing = map[key];
  if (existing !== undefined) return existing;

  const made = make();
  map[key] = made;
  return made;
}

function fresh() {
  return {
    since: new Date().toISOString(),
    byKind: {} as Partial<Record<CacheKind, { hits: number; misses: number }>>,
    byTier: {} as Partial<Record<CacheTier, { hits: number; misses: number }>>,
    fallbacks: {} as Record<string, number>,
    errorTotal: 0,
    errors: {} as Record<string, Record<string, number>>,
    latency: {} as Record<string, SampleWindow>,
    revocations: {} as Record<string, number>,
    breakerChanges: 0,
    jwt: {} as Record<string, { window: SampleWindow; outcomes: Record<string, number> }>,
  };
}

function render(state: State, cache: StatsSource): CacheStatsSnapshot {
  const byKind: Partial<Record<CacheKind, HitStats>> = {};
  let hits = 0;
  let misses = 0;
  for (const [kind, c] of Object.entries(state.byKind)) {
    byKind[kind as CacheKind] = withRatio(c.hits, c.misses);
    hits += c.hits;
    misses += c.misses;
  }
  const byTier: Partial<Record<CacheTier, HitStats>> = {};
  for (const [tier, c] of Object.entries(state.byTier)) {
    byTier[tier as CacheTier] = withRatio(c.hits, c.misses);
  }

  const latency: Record<string, LatencySummary> = {};
  for (const [name, window] of Object.entries(state.latency)) latency[name] = window.summary();

  const jwt: CacheStatsSnapshot["jwt"] = {};
  for (const [trigger, j] of Object.entries(state.jwt)) {
    jwt[trigger] = { ...j.window.summary(), outcomes: { ...j.outcomes } };
  }

  return {
    since: state.since,
    store: cache.store.kind,
    breaker: { state: cache.store.breakerState, changes: state.breakerChanges },
    hits: { ...withRatio(hits, misses), byKind, byTier },
    fallbacks: { ...state.fallbacks },
    errors: { total: state.errorTotal, byOp: structuredClone(state.errors) },
    latency,
    revocations: { ...state.revocations },
    jwt,
  };
}

function withRatio(hits: number, misses: number): HitStats {
  const total = hits + misses;
  return { hits, misses, ratio: total === 0 ? null : hits / total };
}
