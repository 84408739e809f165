/**
 * `npm run bench`: every benchmark in one run, each next to its baselines measured in the same
 * run. Prints the tables and the goals; `--json` prints the same result for machines instead;
 * `--quick` is a smoke run with tiny counts (its figures mean nothing). A full run writes
 * `docs/bench.md` and `docs/bench.svg`; `--docs <dir>` writes them elsewhere, or in quick mode.
 * `--only demo-load` runs that section alone (no docs: they describe a whole run). The run exits
 * non-zero when the demo under load failed a visitor.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { authcacheRows } from "./authcache-rows.js";
import { detectCapabilities } from "./capabilities.js";
import { renderChart } from "./chart.js";
import { benchCoreOps, printCoreRows } from "./core-ops.js";
import {
  benchDemoLoad,
  DEMO_LOAD_QUICK,
  DEMO_LOAD_SETTINGS,
  type DemoLoadResult,
} from "./demo-load.js";
import { startBenchEnv } from "./env.js";
import { judgeGoals } from "./goals.js";
import { benchJwtPath, printJwtRows } from "./jwt-path.js";
import { describeLoad, finish, type Machine, machineAtStart } from "./machine.js";
import { benchMemory } from "./memory.js";
import { betterAuthRow } from "./peers/better-auth.js";
import { postgresRow } from "./peers/postgres.js";
import { sqliteRow } from "./peers/sqlite.js";
import { statelessRows } from "./peers/stateless.js";
import { unstorageAdapterRow } from "./peers/unstorage-adapter.js";
import { upstashAdapterRow } from "./peers/upstash-adapter.js";
import {
  type BenchResult,
  demoLoadTable,
  demoLoadVerdict,
  goalsTable,
  memoryTable,
  readTable,
  renderMarkdown,
  revocationTable,
} from "./report.js";
import { benchRevocation } from "./revocation.js";
import { benchSessionReads } from "./session-reads.js";

const args = process.argv.slice(2);
const json = args.includes("--json");
const quick = args.includes("--quick");
const docsAt = args.indexOf("--docs");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const SECTIONS = ["demo-load"];
if (only !== undefined && !SECTIONS.includes(only)) {
  process.stderr.write(`bench: --only takes one of: ${SECTIONS.join(", ")}\n`);
  process.exit(2);
}
const docsDir = docsAt >= 0 ? args[docsAt + 1] : quick || only ? undefined : "docs";
if (only && docsAt >= 0) {
  process.stderr.write("bench: --docs needs a full run, not --only\n");
  process.exit(2);
}

const settings = quick
  ? { rounds: 2, perRound: 30, countReads: 5, throughputReads: 64, inFlight: 64 }
  : { rounds: 5, perRound: 400, countReads: 50, throughputReads: 2000, inFlight: 64 };
const revocationTrials = quick ? 5 : 200;
const memorySessions = quick ? 500 : 100_000;
const demoLoadSettings = quick ? DEMO_LOAD_QUICK : DEMO_LOAD_SETTINGS;

// Progress and anything a peer library prints go to stderr, so `--json` output stays parseable.
const log = (line: string) => process.stderr.write(`${line}\n`);
if (json) console.log = console.info = console.warn = console.error;

const startedAt = performance.now();
const machine = machineAtStart();
log(
  `bench: ${machine.nproc} cores, load ${describeLoad(machine.loadAtStart)}, Node ${machine.node}`,
);

if (only === "demo-load") {
  const demoLoad = await demoLoadSection();
  const partial = { machine: finish(machine), quick, demoLoad };
  log(`bench: done in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  if (json) process.stdout.write(`${JSON.stringify(partial, null, 2)}\n`);
  else printDemoLoad(demoLoad, partial.machine);
  process.exit(demoLoad.failures.length === 0 ? 0 : 1);
}

log("cache operations against the raw client");
const core = await benchCoreOps(quick ? 1 : 5, quick ? 100 : 2000);
log("the jwt path against a raw GET");
const jwt = await benchJwtPath(quick ? 1 : 5, quick ? 50 : 400);

const caps = await detectCapabilities();
const env = await startBenchEnv();
let measured: Omit<BenchResult, "machine" | "demoLoad">;
try {
  const specs = [
    ...statelessRows(),
    upstashAdapterRow(),
    unstorageAdapterRow(),
    betterAuthRow(),
    sqliteRow(),
    postgresRow(process.env.DATABASE_URL),
    ...authcacheRows(caps),
  ];
  const sessionReads = await benchSessionReads(env, specs, settings, log);

  log(`revocation propagation, ${revocationTrials} trials per store`);
  const revocation = await benchRevocation(env.redis.url, caps, revocationTrials);

  log(`memory for ${memorySessions} sessions`);
  const memory = await benchMemory(memorySessions);

  measured = {
    quick,
    settings: { ...settings, revocationTrials, memorySessions },
    sessionReads,
    revocation,
    memory,
    goals: judgeGoals(sessionReads, revocation, memory),
    core,
    jwt,
  };
} finally {
  await env.close();
}
const demoLoad = await demoLoadSection();
const result: BenchResult = { machine: finish(machine), ...measured, demoLoad };

if (docsDir) {
  mkdirSync(docsDir, { recursive: true });
  writeFileSync(join(docsDir, "bench.md"), renderMarkdown(result));
  writeFileSync(join(docsDir, "bench.svg"), renderChart(result.sessionReads, result.machine));
  log(`wrote ${join(docsDir, "bench.md")} and ${join(docsDir, "bench.svg")}`);
}
log(`bench: done in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);

if (json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const print = (lines: string[]) => process.stdout.write(`${lines.join("\n")}\n`);
  printCoreRows(core);
  printJwtRows(jwt);
  print(["", "GET session through the real handlers (sequential p50 / p99, median of rounds)"]);
  print(readTable(result.sessionReads, settings));
  print(["", "revocation propagation between two processes"]);
  print(revocationTable(result.revocation));
  print(["", `memory (${memorySessions} sessions written)`]);
  print(memoryTable(result.memory));
  print(["", "goals (ratios from this run)"]);
  print(goalsTable(result.goals));
  printDemoLoad(result.demoLoad, result.machine);
}
if (result.demoLoad.failures.length > 0) process.exitCode = 1;

/** The demo under load: last, once the other sections' servers are gone, as it takes both cores. */
function demoLoadSection(): Promise<DemoLoadResult> {
  log(
    `the demo under load, ${demoLoadSettings.phaseSec} s before, during and after a Redis outage`,
  );
  return benchDemoLoad(demoLoadSettings, log);
}

function printDemoLoad(demoLoad: DemoLoadResult, machine: Machine): void {
  const lines = [
    "",
    `the demo under load (${demoLoad.settings.connections} connections, GET session, ${demoLoad.settings.sessions} cookies), Redis killed for a phase`,
    ...demoLoadTable(demoLoad),
    demoLoadVerdict(demoLoad),
    ...(demoLoad.appLog.length > 0
      ? [`the app logged ${demoLoad.appLog.length} lines:`, ...demoLoad.appLog.slice(0, 10)]
      : []),
    "",
    `machine: ${machine.nproc} cores, Node ${machine.node}, load ${describeLoad(machine.loadAtStart)} → ${describeLoad(machine.loadAtEnd)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
