/**
 * The demo app, built for production and on its own redis-server, under load while that server
 * is killed and later restarted: GET session with real cookies from 64 connections, before,
 * during and after the outage. A visitor must never get a 5xx, a hung request or a dropped
 * session; afterwards sessions still work and a sign-out revokes its cookie again.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { APP_DIR, type RunningDemo, startDemo } from "../test/e2e/demo-server.js";
import { type RedisProcess, startRedis } from "../test/support/redis-server.js";
import { ensureDemoBuild } from "./demo-build.js";
import { type Account, readSession, signIn, signOut } from "./demo-http.js";
import { readOutageMetrics } from "./demo-metrics.js";
import { loadInPhases, type PhaseRow } from "./load-phases.js";

export interface DemoLoadSettings {
  connections: number;
  /** Signed-in sessions whose cookies the connections cycle through. */
  sessions: number;
  warmupSec: number;
  /** Length of each of the before, during and after phases. */
  phaseSec: number;
}

export interface DemoLoadCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface DemoLoadResult {
  settings: DemoLoadSettings & { timeoutSec: number };
  build: string;
  phases: PhaseRow[];
  /** How long the restarted redis-server took to accept connections. */
  restartMs: number | null;
  checks: DemoLoadCheck[];
  /** Lines the app wrote to stderr during the run (its error and outage logs). */
  appLog: string[];
  /** Why the section failed; empty when it passed. */
  failures: string[];
}

// The warm-up is long enough for a freshly started server to have compiled its hot paths, so
// that "before" is the steady state the outage is compared with, not the server's first seconds.
export const DEMO_LOAD_SETTINGS: DemoLoadSettings = {
  connections: 64,
  sessions: 12,
  warmupSec: 8,
  phaseSec: 10,
};
export const DEMO_LOAD_QUICK: DemoLoadSettings = {
  connections: 64,
  sessions: 6,
  warmupSec: 1,
  phaseSec: 3,
};

/** A request unanswered this long is a hung request, well past any store timeout. */
const TIMEOUT_SEC = 5;
const SESSION_PATH = "/api/auth/session";

export async function benchDemoLoad(
  settings: DemoLoadSettings,
  log: (line: string) => void,
): Promise<DemoLoadResult> {
  const build = await ensureDemoBuild(log);
  log(`demo-load: demo ${build}`);

  const runDir = mkdtempSync(path.join(tmpdir(), "authcache-demo-load-"));
  let redis: RedisProcess | undefined;
  let demo: RunningDemo | undefined;
  try {
    redis = await startRedis();
    demo = await startDemo({ REDIS_URL: redis.url, DEMO_DATA_DIR: path.join(runDir, "data") });
    if (!demo.banner.includes("cache store   Redis")) throw new Error("the demo is not on Redis");
    return await measure(settings, build, redis, demo, log);
  } finally {
    await demo?.stop();
    await redis?.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

async function measure(
  settings: DemoLoadSettings,
  build: string,
  redis: RedisProcess,
  demo: RunningDemo,
  log: (line: string) => void,
): Promise<DemoLoadResult> {
  const accounts = JSON.parse(
    readFileSync(path.join(APP_DIR, "demo-accounts.json"), "utf8"),
  ) as Account[];
  const visitors: { account: Account; cookie: string }[] = [];
  for (let i = 0; i < settings.sessions; i++) {
    const account = accounts[i % accounts.length]!;
    visitors.push({ account, cookie: await signIn(demo.url, account) });
  }
  log(`demo-load: ${visitors.length} sessions signed in on ${demo.url}, Redis at ${redis.url}`);

  let restartMs: number | null = null;
  const { warmupSec, phaseSec } = settings;
  log(`demo-load: ${settings.connections} connections, Redis killed ${warmupSec + phaseSec} s in`);
  const phases = await loadInPhases({
    url: demo.url,
    path: SESSION_PATH,
    connections: settings.connections,
    cookies: visitors.map((v) => v.cookie),
    timeoutSec: TIMEOUT_SEC,
    phases: [
      { name: "warm-up", seconds: warmupSec },
      { name: "before", seconds: phaseSec },
      { name: "during (Redis killed)", seconds: phaseSec, enter: () => redis.kill("SIGKILL") },
      {
        name: "after (Redis restarted, empty)",
        seconds: phaseSec,
        enter: async () => {
          const started = performance.now();
          await redis.restart();
          restartMs = performance.now() - started;
        },
      },
    ],
  });

  const checks = await checkAfterwards(demo.url, visitors);
  const appLog = demo
    .errors()
    .split("\n")
    .filter((line) => line.trim() !== "");
  return {
    settings: { ...settings, timeoutSec: TIMEOUT_SEC },
    build,
    phases,
    restartMs,
    checks,
    appLog,
    failures: judge(phases, checks),
  };
}

/** Once the load is over: the store is back, sessions work, and a sign-out revokes again. */
async function checkAfterwards(
  base: string,
  visitors: { account: Account; cookie: string }[],
): Promise<DemoLoadCheck[]> {
  const checks: DemoLoadCheck[] = [];

  const seen = await readOutageMetrics(base);
  checks.push({
    check: "the app saw the outage",
    ok: seen.breakerOpened > 0 && seen.storeErrors > 0,
    detail: `breaker opened ${seen.breakerOpened}× (re-opens after failed probes included), ${seen.storeErrors} store errors, ${seen.fallbacks} fallbacks to loadUser`,
  });

  const health = await fetch(`${base}/api/health/redis`, { signal: AbortSignal.timeout(5000) });
  const report = (await health.json().catch(() => ({}))) as { breaker?: string };
  checks.push({
    check: "health check passes on the restarted Redis",
    ok: health.status === 200,
    detail: `HTTP ${health.status}, breaker ${report.breaker ?? "?"}`,
  });

  const reads = await Promise.all(visitors.map((v) => readSession(base, v.cookie)));
  const kept = reads.filter((r, i) => r.status === 200 && r.email === visitors[i]!.account.email);
  checks.push({
    check: "every session still signed in",
    ok: kept.length === visitors.length,
    detail: `${kept.length} of ${visitors.length}`,
  });

  // The first visitor signs out; another session of the same user must stay signed in.
  const [leaving, ...others] = visitors;
  const sibling = others.find((v) => v.account.email === leaving?.account.email);
  if (leaving && sibling) {
    const status = await signOut(base, leaving.cookie);
    const replay = await readSession(base, leaving.cookie);
    checks.push({
      check: "a signed-out cookie, replayed, gets no session",
      ok: replay.status === 200 && replay.email === null,
      detail: `sign-out HTTP ${status}; replay HTTP ${replay.status}, user ${replay.email ?? "none"}`,
    });
    const still = await readSession(base, sibling.cookie);
    checks.push({
      check: "the same user's other session stays signed in",
      ok: still.email === sibling.account.email,
      detail: `user ${still.email ?? "none"}`,
    });
  }
  return checks;
}

function judge(phases: PhaseRow[], checks: DemoLoadCheck[]): string[] {
  const sum = (pick: (p: PhaseRow) => number) => phases.reduce((n, p) => n + pick(p), 0);
  const failures: string[] = [];
  if (sum((p) => p.status5xx) > 0) failures.push(`${sum((p) => p.status5xx)} answers were 5xx`);
  if (sum((p) => p.errors) > 0) failures.push(`${sum((p) => p.errors)} requests failed or hung`);
  if (sum((p) => p.signedOut) > 0) {
    failures.push(`${sum((p) => p.signedOut)} answers dropped a signed-in session`);
  }
  for (const c of checks) if (!c.ok) failures.push(`${c.check}: ${c.detail}`);
  return failures;
}
