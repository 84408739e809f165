import type { LatencySummary } from "authcache/next";
import { ms } from "./labels";

const ROW = 78;
const LEGEND = 28;
const BARS = [
  { key: "p50", color: "#6366f1", note: "half of calls faster" },
  { key: "p90", color: "#a5b4fc", note: "9 in 10 faster" },
  { key: "p99", color: "#f59e0b", note: "99 in 100 faster" },
] as const;

export interface LatencyRow {
  /** The operation's own name, as metrics and logs spell it. */
  label: string;
  /** What it does, in a few words. */
  note?: string;
  summary: LatencySummary;
}

/**
 * p50, p90 and p99 per operation on one shared scale. Each row names its numbers, so they read
 * without the legend; drawn in percentages so the text keeps its size on a phone.
 */
export function LatencyChart({ rows }: { rows: LatencyRow[] }) {
  if (rows.length === 0) return <p className="muted">No calls measured yet.</p>;

  const max = Math.max(0.05, ...rows.map((r) => r.summary.p99));
  const height = rows.length * ROW + LEGEND;
  return (
    <svg
      className="chart"
      width="100%"
      height={height}
      role="img"
      aria-label="Latency percentiles per operation"
    >
      {rows.map(({ label, note, summary }, i) => {
        const y = i * ROW;
        return (
          <g key={label}>
            <text x={0} y={y + 15}>
              <tspan className="name">{label}</tspan>
              {note && <tspan>{` — ${note}`}</tspan>}
            </text>
            <text x="100%" y={y + 15} textAnchor="end">
              {`${summary.count} call${summary.count === 1 ? "" : "s"}`}
            </text>
            {BARS.map((bar, j) => (
              <rect
                key={bar.key}
                x={0}
                y={y + 22 + j * 9}
                width={`${Math.max(0.3, (summary[bar.key] / max) * 100).toFixed(2)}%`}
                height={7}
                rx={2}
                fill={bar.color}
              />
            ))}
            <text x={0} y={y + 64}>
              {BARS.map((bar) => `${bar.key} ${ms(summary[bar.key])}`).join(" · ")}
            </text>
          </g>
        );
      })}
      <g transform={`translate(0, ${height - 8})`}>
        {BARS.map((bar, j) => (
          <g key={bar.key} transform={`translate(${j * 52}, 0)`}>
            <title>{`${bar.key}: ${bar.note}`}</title>
            <rect y={-10} width={10} height={10} rx={2} fill={bar.color} />
            <text x={15}>{bar.key}</text>
          </g>
        ))}
        <text x="100%" textAnchor="end">{`scale 0 – ${ms(max)}`}</text>
      </g>
    </svg>
  );
}
