import type { CheckResult } from "authcache/next";
import { CHECKS, failureLabel } from "./labels";

const ROW = 46;

/**
 * Each health check's time against its budget (the dashed line); red when it failed. Drawn in
 * percentages rather than a scaled viewBox, so the text keeps its size on a phone.
 */
export function ChecksChart({ checks }: { checks: CheckResult[] }) {
  const max = Math.max(...checks.map((c) => Math.max(c.ms, c.budgetMs)));

  return (
    <svg
      className="chart"
      width="100%"
      height={checks.length * ROW}
      role="img"
      aria-label="Health checks and their latency"
    >
      {checks.map((c, i) => {
        const y = i * ROW;
        const status = c.skipped
          ? "skipped"
          : c.ok
            ? `ok · ${c.ms} ms`
            : `${failureLabel(c.code)} · ${c.ms} ms`;
        return (
          <g key={c.name}>
            <text x={0} y={y + 15} className="name">
              <title>{CHECKS[c.name] ?? c.name}</title>
              {c.name}
            </text>
            <text x="100%" y={y + 15} textAnchor="end" className={c.ok ? undefined : "bad"}>
              {c.code && <title>{`code: ${c.code}`}</title>}
              {status}
            </text>
            <rect x={0} y={y + 22} width="100%" height={12} rx={4} fill="#eceef4" />
            <rect
              x={0}
              y={y + 22}
              width={pct(Math.max(0.5, (c.ms / max) * 100))}
              height={12}
              rx={4}
              fill={c.ok ? "#22a06b" : "#dc2626"}
            />
            <line
              x1={pct((c.budgetMs / max) * 100)}
              x2={pct((c.budgetMs / max) * 100)}
              y1={y + 19}
              y2={y + 37}
              stroke="#5f6778"
              strokeDasharray="3 3"
            />
          </g>
        );
      })}
    </svg>
  );
}

function pct(n: number): string {
  return `${Math.min(100, n).toFixed(2)}%`;
}
