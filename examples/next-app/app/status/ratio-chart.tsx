import type { HitStats } from "authcache/next";
import { KINDS } from "./labels";

const ROW = 42;

/** Hits and misses per kind of entry, as one bar each: green for hits. */
export function RatioChart({ rows }: { rows: { label: string; stats: HitStats }[] }) {
  if (rows.length === 0) return <p className="muted">No lookups have reached the store yet.</p>;

  return (
    <svg
      className="chart"
      width="100%"
      height={rows.length * ROW}
      role="img"
      aria-label="Cache hit ratio per kind of entry"
    >
      {rows.map(({ label, stats }, i) => {
        const total = stats.hits + stats.misses;
        const y = i * ROW;
        return (
          <g key={label}>
            <text x={0} y={y + 15}>
              <tspan className="name">{KINDS[label] ?? label}</tspan>
            </text>
            <text x="100%" y={y + 15} textAnchor="end">
              {stats.ratio === null
                ? "—"
                : `${Math.round(stats.ratio * 100)}% hits (${stats.hits} of ${total})`}
            </text>
            <rect x={0} y={y + 22} width="100%" height={12} rx={4} fill="#eceef4" />
            <rect
              x={0}
              y={y + 22}
              width={`${total === 0 ? 0 : ((stats.hits / total) * 100).toFixed(2)}%`}
              height={12}
              rx={4}
              fill="#22a06b"
            />
          </g>
        );
      })}
    </svg>
  );
}
