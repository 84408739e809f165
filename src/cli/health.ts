import { runHealthChecks } from "../health/run.js";
import type { Command } from "./command.js";
import { table } from "./output.js";

/** `authcache health`: the readiness run of the health endpoint, from a terminal. */
export const health: Command = async ({ conn, args, out }) => {
  const report = await runHealthChecks(conn.cache, {
    budgetMs: args.budgetMs,
    timeoutMs: Math.max(args.timeoutMs, args.budgetMs) * 2,
  });

  out.data(report);
  out.line(`${report.store} store · breaker ${report.breaker} · ${report.ms} ms`);
  out.line(
    table(
      ["CHECK", "STATUS", "MS", "BUDGET"],
      report.checks.map((c) => [
        c.name,
        c.skipped ? "skipped" : c.ok ? "ok" : `FAIL ${c.code ?? ""}`.trim(),
        c.skipped ? "-" : String(c.ms),
        String(c.budgetMs),
      ]),
    ),
  );

  if (report.status === "ok") return 0;
  const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name} (${c.code})`);
  process.stderr.write(`authcache: health check failed: ${failed.join(", ")}\n`);
  return 1;
};
