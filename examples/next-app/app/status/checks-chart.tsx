import type { CheckResult } from "authcache/next";

const LABEL = 110;
const TRACK = 380;
const ROW = 30;

/** Each health check's time against its budget (the dashed line); red when it failed. */
export function ChecksChart({ checks }: { checks: CheckResult[] }) {
  const max = Math.max(...checks.map((c) => Math.max(c.ms, c.budgetMs)));
  const height = checks.length * ROW + 4;

  return (
    <svg
      className="chart"
      viewBox={`0 0 ${LABEL + TRACK + 190} ${height}`}
      width="100%"
      role="img"
      aria-label="Health checks and their latency"
    >
      {checks.map((c, i) => {
        const y = i * ROW + 4;
        const budgetX = LABEL + (c.budgetMs / max) * TRACK;
        return (
          <g key={c.name}>
            <text x={0} y={y + 15}>
              {c.name}
            </text>
            <rect x={LABEL} y={y + 3} width={TRACK} height={16} rx={4} fill="#eceef4" />
            <rect
              x={LABEL}
              y={y + 3}
              width={Math.max(2, (c.ms / max) * TRACK)}
              height={16}
              rx={4}
              fill={c.ok ? "#22a06b" : "#dc2626"}
            />
            <line
              x1={budgetX}
              x2={budgetX}
              y1={y}
              y2={y + 22}
              stroke="#5f6778"
              strokeDasharray="3 3"
            />
            <text x={LABEL + TRACK + 10} y={y + 15}>
              {c.skipped
                ? "skipped"
                : c.ok
                  ? `ok · ${c.ms} ms`
                  : `${c.code ?? "failed"} · ${c.ms} ms`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
