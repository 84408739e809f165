import { Registry } from "prom-client";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createAuthCache } from "../../src/cache/auth-cache.js";
import type { AuthCache } from "../../src/cache/types.js";
import { createPrometheusMetrics } from "../../src/metrics/prometheus.js";
import { createCacheStats, createMetricsHandler } from "../../src/next/index.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { closedPort, randomPrefix } from "./support.js";

const { redisUrl } = inject("servers");
const prefix = randomPrefix("metrics");
const opened: AuthCache[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});

function redisCache() {
  const cache = createAuthCache({ store: redisStore({ url: redisUrl }), prefix });
  opened.push(cache);
  return cache;
}

/** Caches `hits` sessions and reads them back, then reads `misses` sessions that do not exist. */
async function scriptedMix(cache: AuthCache, hits: number, misses: number, tag: string) {
  for (let i = 0; i < hits; i++) await cache.cacheJWTSession(`${tag}-hit-${i}`, { sub: `u${i}` });
  for (let i = 0; i < hits; i++) await cache.getJWTSession(`${tag}-hit-${i}`);
  for (let i = 0; i < misses; i++) await cache.getJWTSession(`${tag}-miss-${i}`);
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the Prometheus text format: every line must be a comment or a sample. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") types.set(meta[2] ?? "", meta[3] ?? "");
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ""] = pair[2] ?? "";
    }
    samples.push({ name: m[1] ?? "", labels, value: Number(m[3]) });
  }

  for (const sample of samples) {
    const family = sample.name.replace(/_(bucket|sum|count)$/, "");
    if (!types.has(sample.name) && !types.has(family))
      throw new Error(`no TYPE for ${sample.name}`);
  }
  return { samples, types };
}

const find = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );

describe("in-process stats", () => {
  it("reports the hit ratio of a scripted mix of hits and misses", async () => {
    const cache = redisCache();
    const stats = createCacheStats(cache);
    await scriptedMix(cache, 7, 3, "stats");

    const snap = stats.snapshot();
    expect(snap.hits.byKind.session).toEqual({ hits: 7, misses: 3, ratio: 0.7 });
    expect(snap.hits.ratio).toBe(0.7);
    expect(snap.store).toBe("redis");
    expect(snap.breaker.state).toBe("closed");
    expect(snap.latency.get?.count).toBe(10);
    expect(snap.latency.write?.count).toBe(7);
    expect(snap.latency.get?.p99).toBeGreaterThanOrEqual(snap.latency.get?.p50 ?? 0);
    stats.stop();
  });

  it("counts revocations, and starts afresh on reset", async () => {
    const cache = createAuthCache({ store: memoryStore() });
    const stats = createCacheStats(cache);
    await cache.blacklistSession("s1");
    await cache.revokeUserSessions("u1");

    expect(stats.snapshot().revocations).toEqual({ blacklisted: 1, "user-revoked": 1 });
    stats.reset();
    expect(stats.snapshot().revocations).toEqual({});
  });

  it("counts store errors by operation and code when the store is down", async () => {
    const port = await closedPort();
    const store = redisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 100 });
    const cache = createAuthCache({ store, timeoutMs: 200 });
    opened.push(cache);
    const stats = createCacheStats(cache);

    expect(await cache.getJWTSession("s1")).toBeNull();
    const snap = stats.snapshot();

    expect(snap.errors.total).toBe(1);
    expect(Object.keys(snap.errors.byOp)).toEqual(["get"]);
    expect(snap.fallbacks).toEqual({ "session:store-down": 1 });
  });
});

describe("prometheus metrics", () => {
  it("serves Prometheus text whose hit ratio equals the scripted mix", async () => {
    const cache = redisCache();
    const metrics = createPrometheusMetrics(cache);
    const handler = createMetricsHandler(metrics);
    await scriptedMix(cache, 9, 3, "prom");

    const res = await handler(new Request("http://localhost/api/metrics"));
    const text = await res.text();
    const { samples, types } = parsePrometheus(text);

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(types.get("authcache_cache_hit_ratio")).toBe("gauge");
    expect(types.get("authcache_store_latency_seconds")).toBe("histogram");

    const session = { kind: "session", tier: "store" };
    expect(find(samples, "authcache_cache_hits_total", session)?.value).toBe(9);
    expect(find(samples, "authcache_cache_misses_total", session)?.value).toBe(3);
    expect(find(samples, "authcache_cache_hit_ratio", session)?.value).toBe(9 / 12);
    expect(find(samples, "authcache_store_latency_seconds_count", { op: "get" })?.value).toBe(12);
    expect(find(samples, "authcache_breaker_state", { store: "redis" })?.value).toBe(0);

    // Labels never carry ids: no session id of the mix appears anywhere.
    expect(text).not.toMatch(/prom-(hit|miss)-\d/);
    metrics.stop();
  });

  it("reports errors by op and code, and the breaker opening", async () => {
    const port = await closedPort();
    const store = redisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 100 });
    const cache = createAuthCache({ store, timeoutMs: 200 });
    opened.push(cache);
    const registry = new Registry();
    createPrometheusMetrics(cache, { registry, prefix: "app_" });

    for (let i = 0; i < 6; i++) await cache.getJWTSession(`s${i}`);
    const { samples } = parsePrometheus(await registry.metrics());

    const errors = samples.filter((s) => s.name === "app_store_errors_total");
    expect(errors.reduce((sum, s) => sum + s.value, 0)).toBe(5);
    expect(
      errors.every((s) => s.labels.op === "get" && /^[\w.:-]+$/.test(s.labels.code ?? "")),
    ).toBe(true);
    expect(find(samples, "app_breaker_state", { store: "redis" })?.value).toBe(2);
    expect(find(samples, "app_breaker_transitions_total", { state: "open" })?.value).toBe(1);
    expect(
      find(samples, "app_fallbacks_total", { kind: "session", reason: "store-down" })?.value,
    ).toBe(6);
  });

  it("binds again to the same registry without a duplicate-metric error (hot reload)", async () => {
    const registry = new Registry();
    const first = createAuthCache({ store: memoryStore() });
    const second = createAuthCache({ store: memoryStore() });
    createPrometheusMetrics(first, { registry });
    createPrometheusMetrics(second, { registry });

    await scriptedMix(first, 2, 0, "old");
    await scriptedMix(second, 1, 1, "new");
    const { samples } = parsePrometheus(await registry.metrics());

    expect(find(samples, "authcache_cache_hit_ratio", { kind: "session" })?.value).toBe(0.5);
  });

  it("requires the bearer token when one is configured", async () => {
    const metrics = createPrometheusMetrics(createAuthCache({ store: memoryStore() }));
    const handler = createMetricsHandler(metrics, { token: "m3trics" });

    const denied = await handler(new Request("http://localhost/api/metrics"));
    const allowed = await handler(
      new Request("http://localhost/api/metrics", { headers: { authorization: "Bearer m3trics" } }),
    );

    expect(denied.status).toBe(401);
    expect(allowed.status).toBe(200);
    expect(await denied.text()).not.toContain("m3trics");
    expect(parsePrometheus(await allowed.text()).types.size).toBeGreaterThan(5);
  });
});
