import type { Attributes, Meter, ObservableResult } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { createAuthCache } from "../../src/cache/auth-cache.js";
import { createOpenTelemetryMetrics } from "../../src/metrics/opentelemetry.js";
import { memoryStore } from "../../src/stores/memory.js";

/**
 * A meter that keeps what it is given, standing in for an OpenTelemetry SDK (not a dependency
 * of this package): sums per instrument and attribute set, and observable callbacks to run.
 */
function recordingMeter() {
  const sums = new Map<string, number>();
  const records = new Map<string, number[]>();
  const callbacks = new Map<string, ((r: ObservableResult) => void)[]>();
  const key = (name: string, attrs: Attributes = {}) => `${name} ${JSON.stringify(attrs)}`;

  const meter = {
    createCounter: (name: string) => ({
      add: (n: number, attrs?: Attributes) =>
        sums.set(key(name, attrs), (sums.get(key(name, attrs)) ?? 0) + n),
    }),
    createHistogram: (name: string) => ({
      record: (v: number, attrs?: Attributes) => {
        const list = records.get(key(name, attrs)) ?? [];
        list.push(v);
        records.set(key(name, attrs), list);
      },
    }),
    createObservableGauge: (name: string) => ({
      addCallback: (cb: (r: ObservableResult) => void) =>
        callbacks.set(name, [...(callbacks.get(name) ?? []), cb]),
      removeCallback: (cb: (r: ObservableResult) => void) =>
        callbacks.set(
          name,
          (callbacks.get(name) ?? []).filter((c) => c !== cb),
        ),
    }),
  } as unknown as Meter;

  const observe = (name: string) => {
    const seen: { value: number; attrs: Attributes }[] = [];
    for (const cb of callbacks.get(name) ?? [])
      cb({ observe: (value, attrs = {}) => seen.push({ value, attrs }) });
    return seen;
  };
  return { meter, sums, records, observe, key };
}

describe("OpenTelemetry metrics", () => {
  it("records hits, misses, their ratio, latency and revocations without ids", async () => {
    const rec = recordingMeter();
    const cache = createAuthCache({ store: memoryStore() });
    const otel = createOpenTelemetryMetrics(cache, { meter: rec.meter });

    for (let i = 0; i < 3; i++) await cache.cacheJWTSession(`otel-${i}`, { sub: "u" });
    for (let i = 0; i < 3; i++) await cache.getJWTSession(`otel-${i}`);
    await cache.getJWTSession("otel-missing");
    await cache.blacklistSession("otel-0");

    const session = { kind: "session", tier: "store" };
    expect(rec.sums.get(rec.key("authcache.cache.hits", session))).toBe(3);
    expect(rec.sums.get(rec.key("authcache.cache.misses", session))).toBe(1);
    expect(rec.sums.get(rec.key("authcache.revocations", { reason: "blacklisted" }))).toBe(1);
    expect(rec.observe("authcache.cache.hit_ratio")).toEqual([{ value: 0.75, attrs: session }]);
    expect(rec.observe("authcache.breaker.state")).toEqual([
      { value: 0, attrs: { store: "memory" } },
    ]);
    expect(
      rec.records.get(rec.key("authcache.store.duration", { store: "memory", op: "get" })),
    ).toHaveLength(4);
    expect([...rec.sums.keys(), ...rec.records.keys()].join(" ")).not.toContain("otel-");

    otel.stop();
    await cache.getJWTSession("otel-1");
    expect(rec.sums.get(rec.key("authcache.cache.hits", session))).toBe(3);
    expect(rec.observe("authcache.cache.hit_ratio")).toEqual([]);
  });
});
