import type { LatencySummary } from "authcache/next";

const LABEL = 110;
const TRACK = 380;
const ROW = 40;
const BARS = [
  { key: "p50", color: "#6366f1" },
  { key: "p90", color: "#a5b4fc" },
  { key: "p99", color: "#f59e0b" },
] as const;

/** p50, p90 and p99 per operation on one shared scale, in milliseconds. */
export function LatencyChart({ rows }: { rows: { label: string; summary: LatencySummary }[] }) {
  if (rows.length === 0) return <p className="muted">No calls measured yet.</p>;

  const max = Math.max(0.05, ...rows.map((r) => r.summary.p99));
  const height = rows.length * ROW + 26;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${LABEL + TRACK + 190} ${height}`}
      width="100%"
      role="img"
      aria-label="Latency percentiles per operation"
    >
      {rows.map(({ label, summary }, i) => {
        const y = i * ROW + 4;
        return (
          <g key={label}>
            <text x={0} y={y + 18}>
              {label}
            </text>
            {BARS.map((bar, j) => (
              <rect
                key={bar.key}
                x={LABEL}
                y={y + 4 + j * 10}
                width={Math.max(1, (summary[bar.key] / max) * TRACK)}
                height={8}
                rx={2}
                fill={bar.color}
              />
            ))}
            <text x={LABEL + TRACK + 10} y={y + 18}>
              {`${ms(summary.p50)} · ${ms(summary.p99)}  (${summary.count})`}
            </text>
          </g>
        );
      })}
      <g transform={`translate(${LABEL}, ${height - 8})`}>
        {BARS.map((bar, j) => (
          <g key={bar.key} transform={`translate(${j * 70}, 0)`}>
            <rect y={-9} width={10} height={10} rx={2} fill={bar.color} />
            <text x={15}>{bar.key}</text>
          </g>
        ))}
        <text x={TRACK} textAnchor="end">{`scale: 0 – ${ms(max)}`}</text>
      </g>
    </svg>
  );
}

function ms(value: number): string {
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(1)} ms`;
}
