import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAuthCache } from "../../src/cache/auth-cache.js";
import { redisStore } from "../../src/stores/redis.js";
import { closedPort, randomPrefix, scanPrefix } from "./support.js";

const { redisUrl, upstash } = inject("servers");
const prefix = randomPrefix("cli");
const secret = "cli-test-secret";
const root = fileURLToPath(new URL("../..", import.meta.url));
const now = Date.now();

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a process, with only the store variables this test chooses. */
function cli(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Result> {
  const base = { ...process.env };
  for (const name of Object.keys(base)) {
    if (/^(REDIS_URL|UPSTASH_|KV_REST_|AUTH_SECRET|NEXTAUTH_SECRET)/.test(name)) delete base[name];
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, "--import", "tsx", "src/cli/main.ts", ...args],
      { cwd: root, env: { ...base, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const local = { REDIS_URL: redisUrl, AUTH_SECRET: secret };
const json = (r: Result) => JSON.parse(r.stdout);

beforeAll(async () => {
  const cache = createAuthCache({ store: redisStore({ url: redisUrl }), prefix, secret });
  const start = (sessionId: string, createdAt: number, userAgent: string) =>
    cache.startSession(
      { userId: "u-cli", sessionId, createdAt, expiresAt: createdAt + 3_600_000, userAgent },
      { sub: "u-cli", acSid: sessionId, acStart: createdAt },
    );
  await start("sess-a", now - 2000, "Firefox");
  await start("sess-b", now - 1000, "Chrome");
  await start("sess-c", now - 500, "Safari");
  await cache.cacheEmailToUserId("Ann@Example.com", "u-cli");
  await cache.cacheUserProfile("u-cli", { name: "Ann" });
  await cache.close();
});

afterAll(async () => {
  const cache = createAuthCache({ store: redisStore({ url: redisUrl }), prefix });
  const keys = await scanPrefix(redisUrl, prefix);
  if (keys.length > 0) await cache.store.del(keys);
  await cache.close();
});

describe("authcache CLI against a real redis-server", () => {
  it("health: prints a table and exits 0; --json gives the same report as the endpoint", async () => {
    const [table, report] = await Promise.all([
      cli(["health", "--prefix", prefix], local),
      cli(["health", "--prefix", prefix, "--json"], local),
    ]);

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ping\s+ok/m);
    expect(table.stdout).toMatch(/^email\s+ok/m);
    expect(report.code).toBe(0);
    expect(json(report)).toMatchObject({ status: "ok", store: "redis", breaker: "closed" });
    expect(table.stderr).toBe("");
  });

  it("health works over the Upstash REST variables too", async () => {
    const r = await cli(["health", "--prefix", prefix, "--json"], {
      UPSTASH_REDIS_REST_URL: upstash.url,
      UPSTASH_REDIS_REST_TOKEN: upstash.token,
    });

    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ status: "ok", store: "upstash" });
  });

  it("inspect: shows the cached claims, revocation state and TTLs of a session", async () => {
    const r = await cli(["inspect", "sess-a", "--prefix", prefix, "--json"], local);
    const body = json(r);

    expect(r.code).toBe(0);
    expect(body).toMatchObject({
      sessionId: "sess-a",
      cached: "yes",
      userId: "u-cli",
      revoked: false,
    });
    expect(body.claims).toEqual({ sub: "u-cli", acSid: "sess-a", acStart: now - 2000 });
    expect(body.ttlMs.session).toBeGreaterThan(0);
    expect(body.ttlMs.blacklist).toBeNull();

    const human = await cli(["inspect", "sess-a", "--prefix", prefix], local);
    expect(human.stdout).toMatch(/revoked\s+no/);
  });

  it("sessions: lists a user's live sessions by id and by email (with the secret)", async () => {
    const [byId, byEmail, noSecret] = await Promise.all([
      cli(["sessions", "u-cli", "--prefix", prefix, "--json"], local),
      cli(["sessions", "ann@example.com", "--prefix", prefix, "--json"], local),
      cli(["sessions", "ann@example.com", "--prefix", prefix], { REDIS_URL: redisUrl }),
    ]);

    expect(byId.code).toBe(0);
    const ids = json(byId).sessions.map((s: { sessionId: string }) => s.sessionId);
    expect(ids).toEqual(["sess-c", "sess-b", "sess-a"]);
    expect(json(byEmail)).toEqual(json(byId));
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/needs --secret or AUTH_SECRET/);
  });

  it("revoke: blacklists a session, which then drops out of the user's list", async () => {
    const r = await cli(["revoke", "sess-b", "--prefix", prefix, "--json"], local);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ known: true, userId: "u-cli" });
    expect(json(r).blacklistTtlMs).toBeGreaterThan(3_000_000);

    const after = await cli(["inspect", "sess-b", "--prefix", prefix, "--json"], local);
    expect(json(after)).toMatchObject({ revoked: true, reason: "blacklisted" });
    const list = await cli(["sessions", "u-cli", "--prefix", prefix, "--json"], local);
    expect(json(list).sessions.map((s: { sessionId: string }) => s.sessionId)).not.toContain(
      "sess-b",
    );
  });

  it("revoke-user: signs the user out everywhere", async () => {
    const r = await cli(["revoke-user", "u-cli", "--prefix", prefix, "--json"], local);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ userId: "u-cli", revoked: 2 });

    const list = await cli(["sessions", "u-cli", "--prefix", prefix, "--json"], local);
    expect(json(list).sessions).toEqual([]);
    const inspect = await cli(["inspect", "sess-c", "--prefix", prefix, "--json"], local);
    expect(json(inspect)).toMatchObject({ revoked: true, reason: "user-revoked" });
  });

  it("stats: counts the keys under the prefix by kind", async () => {
    const r = await cli(["stats", "--prefix", prefix, "--json"], local);
    const body = json(r);

    expect(r.code).toBe(0);
    expect(body.kinds).toMatchObject({ session: 3, live: 3, profile: 1, email: 1, watermark: 1 });
    expect(body.kinds.blacklist).toBe(1);
    expect(body.total).toBe(
      Object.values(body.kinds as Record<string, number>).reduce((a, b) => a + b, 0),
    );
  });

  it("revoke: blacklists an id the store does not know, and says so", async () => {
    // After stats, which counts the one blacklist entry of the revoke test above.
    const [human, machine] = await Promise.all([
      cli(["revoke", "not-a-session", "--prefix", prefix], local),
      cli(["revoke", "not-a-session-2", "--prefix", prefix, "--json"], local),
    ]);

    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^revoked session not-a-session \(it was not known to the store; blacklisted anyway for 30d 0h\)\n$/,
    );
    expect(json(machine)).toMatchObject({ revoked: true, known: false, userId: null });
    const after = await cli(["inspect", "not-a-session", "--prefix", prefix, "--json"], local);
    expect(json(after)).toMatchObject({ revoked: true, reason: "blacklisted" });
  });

  it("bench: reports ops/s and percentiles per operation and leaves nothing behind", async () => {
    const benchPrefix = `${prefix}-bench`;
    const r = await cli(
      ["bench", "--prefix", benchPrefix, "--ops", "50", "--concurrency", "4", "--json"],
      local,
    );
    const body = json(r);

    expect(r.code).toBe(0);
    expect(body.results.map((p: { name: string }) => p.name)).toEqual([
      "raw SET",
      "raw GET",
      "cacheJWTSession",
      "getJWTSession",
      "isSessionBlacklisted",
      "checkSession",
    ]);
    for (const phase of body.results) {
      expect(phase).toMatchObject({ ops: 50, errors: 0 });
      expect(phase.opsPerSec).toBeGreaterThan(0);
      expect(phase.p99).toBeGreaterThanOrEqual(phase.p50);
    }
    // No progress bar when stderr is not a terminal.
    expect(r.stderr).toBe("");
    expect(await scanPrefix(redisUrl, benchPrefix)).toEqual([]);
  });
});

describe("authcache CLI failures", () => {
  it("exits 1 with one clear line when the store is down, never echoing the password", async () => {
    const port = await closedPort();
    const url = `redis://admin:hunter2@127.0.0.1:${port}`;
    const results = await Promise.all(
      [["health"], ["stats"], ["inspect", "sess-a"]].map((args) => cli([...args, "--url", url])),
    );

    for (const r of results) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^authcache: cannot reach the store at redis:\/\/127\.0\.0\.1:\d+ \(\w+\)\n$/,
      );
      expect(r.stderr).not.toContain("hunter2");
    }
  });

  it("health --json still prints a report when the store is down", async () => {
    const port = await closedPort();
    const r = await cli(["health", "--json", "--url", `redis://127.0.0.1:${port}`]);

    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^authcache: cannot reach the store at redis:\/\/127\.0\.0\.1:\d+ \(\w+\)\n$/,
    );
    const report = json(r);
    expect(report).toMatchObject({ status: "down", store: "redis" });
    expect(report.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ["ping", false],
      ["session", false],
      ["email", false],
      ["profile", false],
      ["blacklist", false],
    ]);
    expect(report.checks[0].code).toBe("ECONNREFUSED");
  });

  it("says which package to install when the store's client library is missing", async () => {
    // A resolve hook that makes `redis` look uninstalled, as in an app that never added it.
    const hook = `export async function resolve(specifier, context, next) {
      if (specifier === "redis") {
        const error = new Error("Cannot find package 'redis'");
        error.code = "ERR_MODULE_NOT_FOUND";
        throw error;
      }
      return next(specifier, context);
    }`;
    const register = `import { register } from "node:module";
      register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const withoutRedis = ["--import", `data:text/javascript,${encodeURIComponent(register)}`];
    const [plain, report] = await Promise.all([
      cli(["stats"], local, withoutRedis),
      cli(["health", "--json"], local, withoutRedis),
    ]);

    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe("authcache: install redis (npm i redis) to reach a Redis store\n");
    expect(report.code).toBe(1);
    expect(json(report)).toMatchObject({ status: "down", store: "redis" });
    expect(json(report).checks[0].code).toBe("E_MISSING_DEPENDENCY");
  });

  it("exits 2 with the usage text for bad arguments", async () => {
    const cases = [
      [],
      ["frobnicate"],
      ["inspect"],
      ["inspect", "a", "b"],
      ["health", "--bogus"],
      ["inspect", "bad id"],
      ["bench", "--ops", "0"],
    ];
    const results = await Promise.all(cases.map((args) => cli(args, local)));

    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^authcache: .+\n/);
      expect(r.stderr).toContain("Usage: authcache <command>");
    }
  });

  it("prints the usage on --help and exits 0", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: authcache <command>");
  });
});
