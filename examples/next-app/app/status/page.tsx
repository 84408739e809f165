import type { CacheStatsSnapshot } from "authcache/next";
import Link from "next/link";
import { demo } from "@/lib/cache";
import { ChecksChart } from "./checks-chart";
import { BREAKER, JWT_TRIGGERS, STORE_OPS } from "./labels";
import { LatencyChart } from "./latency-chart";
import { RatioChart } from "./ratio-chart";

export const dynamic = "force-dynamic";

export default async function StatusPage() {
  const { stats, health: runHealth, storeLabel, storeSource } = demo();
  // Taken before the health run, so its synthetic writes do not show among the app's own calls.
  const snapshot = stats.snapshot();
  const health = await runHealth();
  const up = health.status === "ok";

  return (
    <>
      <div className="row">
        <h1>Status</h1>
        <span className="spacer" />
        <Link className="button secondary" href="/status">
          Refresh
        </Link>
      </div>
      <p className="lead">
        The cache store's health, checked just now, and what the cache has done since the app
        started.
      </p>

      {!up && (
        <div className="notice bad" data-testid="store-down">
          The {storeLabel} store is down. Sign-in, profiles and pages keep working on the database;
          revoking sessions and listing devices wait until the store is back.
        </div>
      )}

      <div className="grid">
        <section className="card">
          <h2>
            Store{" "}
            <span className={`badge ${up ? "ok" : "bad"}`} data-testid="store-status">
              {up ? "up" : "down"}
            </span>
          </h2>
          <dl className="facts">
            <dt>Store</dt>
            <dd>{storeLabel}</dd>
            <dt>Chosen by</dt>
            <dd>{storeSource}</dd>
            <dt>Circuit breaker</dt>
            <dd title={health.breaker}>{BREAKER[health.breaker] ?? health.breaker}</dd>
            <dt>Checked in</dt>
            <dd>{health.ms} ms</dd>
          </dl>
        </section>
        <section className="card">
          <h2>Counters</h2>
          <Counters snapshot={snapshot} />
        </section>
      </div>

      <section className="card">
        <h2>Health checks</h2>
        <ChecksChart checks={health.checks} />
        <p className="small muted">
          Each check writes a synthetic entry and reads it back; the dashed line is its budget. The
          same run answers <a href="/api/health/redis">/api/health/redis</a>.
        </p>
      </section>

      <section className="card">
        <h2>Hit ratio</h2>
        <RatioChart
          rows={[
            { label: "all", stats: snapshot.hits },
            ...Object.entries(snapshot.hits.byKind).map(([label, s]) => ({ label, stats: s })),
          ].filter((r) => r.stats.hits + r.stats.misses > 0)}
        />
      </section>

      <section className="card">
        <h2>Store latency</h2>
        <LatencyChart
          rows={Object.entries(snapshot.latency).map(([label, summary]) => ({
            label,
            note: STORE_OPS[label],
            summary,
          }))}
        />
        <p className="small muted">
          Each store call the cache made, by operation: p50 is the median, p90 and p99 the times
          that 9 in 10 and 99 in 100 calls beat.
        </p>
      </section>

      <section className="card">
        <h2>jwt callback</h2>
        <LatencyChart
          rows={Object.entries(snapshot.jwt).map(([label, summary]) => ({
            label,
            note: JWT_TRIGGERS[label],
            summary,
          }))}
        />
        <p className="small muted">
          Since {new Date(snapshot.since).toLocaleString("en")}. The same numbers, for Prometheus:{" "}
          <a href="/api/metrics">/api/metrics</a>.
        </p>
      </section>
    </>
  );
}

function Counters({ snapshot }: { snapshot: CacheStatsSnapshot }) {
  const revocations = Object.values(snapshot.revocations).reduce((a, b) => a + b, 0);
  const fallbacks = Object.values(snapshot.fallbacks).reduce((a, b) => a + b, 0);

  return (
    <dl className="facts">
      <dt>Revocations</dt>
      <dd>{revocations}</dd>
      <dt>Database fallbacks</dt>
      <dd>{fallbacks}</dd>
      <dt>Store errors</dt>
      <dd>{snapshot.errors.total}</dd>
      <dt>Breaker changes</dt>
      <dd>{snapshot.breaker.changes}</dd>
    </dl>
  );
}
