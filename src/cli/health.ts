import type { CheckResult } from "../health/run.js";
import { runHealthChecks } from "../health/run.js";
import type { CliArgs } from "./args.js";
import type { Command } from "./command.js";
import type { Output } from "./output.js";
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

const OP_CHECKS = ["session", "email", "profile", "blacklist"] as const;

/**
 * The report of a store that could not even be opened (unreachable, or its client library not
 * installed): status "down", the ping failed with `code`, the rest not run. Printed under
 * `--json` only, so a monitoring script always gets a document to parse; the exit code and the
 * line on stderr stay those of any other failure.
 */
export function printDownReport(
  out: Output,
  args: CliArgs,
  down: { store: string; where: string | null; code: string; ms: number },
): void {
  const failed = (name: CheckResult["name"], code: string, ms = 0): CheckResult => ({
    name,
    ok: false,
    ms,
    budgetMs: args.budgetMs,
    code,
  });
  out.data({
    status: "down",
    store: down.store,
    where: down.where,
    ms: down.ms,
    checks: [
      failed("ping", down.code, down.ms),
      ...OP_CHECKS.map((name) => failed(name, "not-run")),
    ],
    checkedAt: new Date().toISOString(),
  });
}
