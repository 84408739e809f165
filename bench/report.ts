/**
 * The run's figures as text: the tables `npm run bench` prints and `docs/bench.md` holds. Both
 * come from the same result object, which is also what `--json` prints.
 */
import type { CoreRow } from "./core-ops.js";
import type { DemoLoadResult } from "./demo-load.js";
import { type GoalResult, ms } from "./goals.js";
import type { JwtRow } from "./jwt-path.js";
import { describeLoad, type Machine } from "./machine.js";
import type { MemoryRow } from "./memory.js";
import type { RevocationRow } from "./revocation.js";
import type { ReadRow, ReadSettings } from "./session-reads.js";

export interface BenchResult {
  machine: Machine;
  quick: boolean;
  settings: ReadSettings & { revocationTrials: number; memorySessions: number };
  sessionReads: ReadRow[];
  revocation: RevocationRow[];
  memory: MemoryRow[];
  goals: GoalResult[];
  core: CoreRow[];
  jwt: { rtt: { p50: number; p99: number }; rows: JwtRow[] };
  demoLoad: DemoLoadResult;
}

export function readTable(rows: ReadRow[], settings: ReadSettings): string[] {
  const head = [
    "way to read a session",
    "p50",
    "p99",
    "store trips / read",
    "DB queries / read",
    `reads/s, ${settings.inFlight} in flight`,
  ];
  const lines = [row(head), row(head.map(() => "---"))];
  for (const r of rows) {
    if (r.p50 === null) {
      lines.push(row([r.label, r.reason ?? "no figure", "", "", "", ""]));
      continue;
    }
    lines.push(
      row([
        r.label,
        ms(r.p50),
        r.p99 === null ? "" : ms(r.p99),
        count(r.storeTrips),
        count(r.dbQueries),
        r.throughput === null ? "" : Math.round(r.throughput).toLocaleString("en-US"),
      ]),
    );
  }
  return lines;
}

export function revocationTable(rows: RevocationRow[]): string[] {
  const lines = [
    row(["store", "trials", "p50", "p99", "max"]),
    row(["---", "---", "---", "---", "---"]),
  ];
  for (const r of rows) {
    if (r.p50 === null || r.p99 === null || r.max === null) {
      lines.push(row([r.label, r.reason ?? "no figure", "", "", ""]));
    } else {
      lines.push(row([r.label, String(r.trials), ms(r.p50), ms(r.p99), ms(r.max)]));
    }
  }
  return lines;
}

export function memoryTable(rows: MemoryRow[]): string[] {
  const lines = [
    row([
      "store",
      "sessions written",
      "per session",
      "per 100 000 sessions",
      "+ profile and email map, per user",
    ]),
    row(["---", "---", "---", "---", "---"]),
  ];
  for (const r of rows) {
    lines.push(
      row([
        r.store === "redis" ? "Redis (used_memory)" : "memory store (V8 heap)",
        r.sessions.toLocaleString("en-US"),
        `${Math.round(r.bytesPerSession)} B`,
        `${((r.bytesPerSession * 100_000) / 2 ** 20).toFixed(1)} MiB`,
        `${Math.round(r.bytesPerUser)} B`,
      ]),
    );
  }
  return lines;
}

export function goalsTable(goals: GoalResult[]): string[] {
  const lines = [row(["goal", "target", "measured", "result"]), row(["---", "---", "---", "---"])];
  for (const g of goals) {
    const result = g.reached === null ? "not measured" : g.reached ? "reached" : "not reached";
    lines.push(row([g.goal, g.target, g.detail, result]));
  }
  return lines;
}

/** The demo under load, phase by phase, then what was checked once the load was over. */
export function demoLoadTable(result: DemoLoadResult): string[] {
  const head = ["phase", "s", "requests", "req/s", "non-2xx", "5xx", "signed out"];
  head.push("errors (timeouts)", "p50", "p99", "max");
  const lines = [row(head), row(head.map(() => "---"))];
  const latency = (value: number | null) => (value === null ? "" : ms(value));
  for (const p of result.phases) {
    lines.push(
      row([
        p.phase,
        p.seconds.toFixed(1),
        p.requests.toLocaleString("en-US"),
        Math.round(p.reqPerSec).toLocaleString("en-US"),
        String(p.non2xx),
        String(p.status5xx),
        String(p.signedOut),
        `${p.errors} (${p.timeouts})`,
        latency(p.p50),
        latency(p.p99),
        latency(p.max),
      ]),
    );
  }
  lines.push("", row(["check afterwards", "result", "detail"]), row(["---", "---", "---"]));
  for (const c of result.checks) lines.push(row([c.check, c.ok ? "ok" : "FAILED", c.detail]));
  return lines;
}

/** The section's closing verdict, one line. */
export function demoLoadVerdict(result: DemoLoadResult): string {
  return result.failures.length === 0
    ? "Passed: no 5xx, no failed or hung request, no session dropped, every check ok"
    : `FAILED: ${result.failures.join("; ")}`;
}

/** A table of flat records, for the sections other benchmarks own. */
export function recordTable(records: object[]): string[] {
  const first = records[0];
  if (!first) return ["(no rows)"];
  const keys = Object.keys(first);
  const cell = (value: unknown) =>
    typeof value === "number"
      ? Number.isInteger(value)
        ? String(value)
        : value.toFixed(4)
      : String(value ?? "");
  return [
    row(keys),
    row(keys.map(() => "---")),
    ...records.map((r) => row(keys.map((k) => cell((r as Record<string, unknown>)[k])))),
  ];
}

export function renderMarkdown(result: BenchResult): string {
  const { machine, settings } = result;
  return [
    "# Benchmark",
    "",
    "Generated by `npm run bench`; every figure below was measured in one run on the machine",
    "described here. Do not edit by hand: run the benchmark again.",
    "",
    `- date: ${machine.date}`,
    `- machine: ${machine.nproc} cores (${machine.cpu}); load average (1, 5, 15 min) ${describeLoad(machine.loadAtStart)} at the start, ${describeLoad(machine.loadAtEnd)} at the end`,
    `- Node ${machine.node}`,
    `- latency: ${settings.rounds} interleaved rounds of ${settings.perRound} sequential reads per row; p50 and p99 are the medians over rounds`,
    "",
    "![GET session p50 per row](bench.svg)",
    "",
    "## GET session through the real handlers",
    "",
    ...readTable(result.sessionReads, settings),
    "",
    "## Revocation propagation between two processes",
    "",
    ...revocationTable(result.revocation),
    "",
    `## Memory per 100 000 sessions (${settings.memorySessions.toLocaleString("en-US")} written)`,
    "",
    ...memoryTable(result.memory),
    "",
    "## Goals",
    "",
    ...goalsTable(result.goals),
    "",
    "## Cache operations against the raw client",
    "",
    ...recordTable(result.core),
    "",
    "## The jwt path against a raw Redis GET",
    "",
    `Raw GET p50 ${ms(result.jwt.rtt.p50)}.`,
    "",
    ...recordTable(result.jwt.rows),
    "",
    "## The demo app under load, Redis killed for a phase",
    "",
    `${result.demoLoad.settings.connections} connections, GET /api/auth/session with ${result.demoLoad.settings.sessions} real session cookies (demo build: ${result.demoLoad.build}). ${demoLoadVerdict(result.demoLoad)}.`,
    "",
    ...demoLoadTable(result.demoLoad),
    "",
    "## How it is measured",
    "",
    ...METHOD,
    "",
  ].join("\n");
}

const METHOD = [
  "- Every row is a real handler called in-process: next-auth v4's `NextAuth(req, res, options)`,",
  "  @auth/core's `Auth(request, config)`, better-auth's `auth.handler(request)` on",
  "  `/api/auth/get-session`. A signed-in visitor reads its session; the answer's body and cookies",
  "  are read each time.",
  "- Stores and databases are started by the run on loopback: its own redis-server, an",
  "  Upstash REST protocol forwarder onto it (in the benchmark's own process), a SQLite file, and",
  "  Postgres only at `DATABASE_URL` (temporary tables).",
  "- Latency: sequential reads, rows interleaved round by round so a busy moment on a shared",
  "  machine hits every row alike. Throughput: reads completed per second with a fixed number",
  "  outstanding, one row at a time.",
  "- Store round trips are counted, not assumed: a separate instance of each row talks to Redis",
  "  through a relay that counts a round trip whenever a client sends after the server last",
  "  answered (a pipeline or MGET counts once, sequential awaits once each), plus each HTTP",
  "  request the Upstash forwarder serves. Database queries are counted where the SQL driver or",
  "  the adapter runs them.",
  "- Revocation: a second Node process, another app instance on the same Redis, reads the",
  "  session through its own handler in a loop; this process revokes it and times until it hears",
  "  back that the other answered signed out (so one message between processes is included).",
  "- Memory: what one sign-in writes (the session's token and device-list entry; then the user's",
  "  profile and email mapping), one user per session. Memory store: V8 heap after full",
  "  collections in a child process; Redis: `used_memory` of a fresh server.",
  "- Demo under load: the demo's production build (`next build`, `next start`) on loopback, on",
  "  its own redis-server and a fresh SQLite folder. Sessions are signed in through the real",
  "  credentials flow; autocannon (same machine) then reads `GET /api/auth/session` with those",
  "  cookies in one continuous run: warm-up, before, during (the redis-server is killed with",
  "  SIGKILL) and after (a fresh, empty redis-server on the same port). A response counts in the",
  "  phase in which it completed; latencies cover every response; a request unanswered for 5 s",
  "  is a timeout. 'signed out' counts 2xx answers without a user. Afterwards: the health check,",
  "  every cookie read once more, and one session signed out and its cookie replayed.",
];

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function count(value: number | null): string {
  if (value === null) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
