import type { HitStats } from "authcache/next";

const LABEL = 110;
const TRACK = 380;
const ROW = 30;

/** Hits and misses per kind of entry, as one stacked bar each: green for hits. */
export function RatioChart({ rows }: { rows: { label: string; stats: HitStats }[] }) {
  if (rows.length === 0) return <p className="muted">No lookups have reached the store yet.</p>;

  const height = rows.length * ROW + 4;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${LABEL + TRACK + 190} ${height}`}
      width="100%"
      role="img"
      aria-label="Cache hit ratio per kind of entry"
    >
      {rows.map(({ label, stats }, i) => {
        const total = stats.hits + stats.misses;
        const hitWidth = total === 0 ? 0 : (stats.hits / total) * TRACK;
        const y = i * ROW + 4;
        return (
          <g key={label}>
            <text x={0} y={y + 15}>
              {label}
            </text>
            <rect x={LABEL} y={y + 3} width={TRACK} height={16} rx={4} fill="#eceef4" />
            <rect x={LABEL} y={y + 3} width={hitWidth} height={16} rx={4} fill="#22a06b" />
            <text x={LABEL + TRACK + 10} y={y + 15}>
              {stats.ratio === null
                ? "—"
                : `${Math.round(stats.ratio * 100)}%  (${stats.hits} of ${total})`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
