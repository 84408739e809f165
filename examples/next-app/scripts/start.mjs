// Starts the built demo and says what it is running on: the URL, the cache store, where the
// secret comes from and the demo accounts. `npm run demo` at the repository root builds first.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
const host = process.env.DEMO_HOST || "127.0.0.1";
const shownHost = host === "127.0.0.1" || host === "::1" ? "localhost" : host;
const url = `http://${shownHost}:${port}`;

if (!existsSync(path.join(appDir, ".next", "BUILD_ID"))) {
  console.error("The app is not built yet. Run `npm run demo` from the repository root.");
  process.exit(1);
}

// A port already taken would otherwise end in Next's EADDRINUSE stack and npm's error block.
await ensurePortFree();

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) };
const secretNote = provideSecret(env);
// Without NEXTAUTH_URL, NextAuth builds its links from the Host header the browser sent, so the
// demo works on localhost, 127.0.0.1 or any port.
if (!env.NEXTAUTH_URL) env.AUTH_TRUST_HOST = "true";

const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
const child = spawn(process.execPath, [next, "start", "-p", String(port), "-H", host], {
  cwd: appDir,
  env,
  stdio: ["ignore", "ignore", "inherit"],
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

await waitUntilReady(`http://${host.includes(":") ? `[${host}]` : host}:${port}`);
printBanner(secretNote);

/** Exits with one line when something already listens on the port the demo wants. */
async function ensurePortFree() {
  const problem = await new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error) => resolve(error.code));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
  if (problem === null) return;

  const next = port === 65535 ? 3000 : port + 1;
  if (problem === "EADDRINUSE") {
    console.error(`port ${port} is in use: run PORT=${next} npm run demo`);
  } else {
    console.error(`cannot listen on ${host}:${port} (${problem}): set PORT or DEMO_HOST`);
  }
  process.exit(1);
}

/** The secret: from the environment, else kept in the data folder across restarts. */
function provideSecret(env) {
  if (env.AUTH_SECRET || env.NEXTAUTH_SECRET) return "from AUTH_SECRET / NEXTAUTH_SECRET";

  const dir = env.DEMO_DATA_DIR || path.join(appDir, "data");
  const file = path.join(dir, "auth-secret");
  mkdirSync(dir, { recursive: true });

  let note = `kept in ${shown(file)} (set AUTH_SECRET to choose one)`;
  if (!existsSync(file)) {
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
    note = `generated, ${note}`;
  }
  env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
  return note;
}

/** A path relative to where the command was typed, when it lies below it. */
function shown(file) {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

function describeStore() {
  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    return "Upstash (UPSTASH_REDIS_REST_URL is set)";
  }
  if (env.REDIS_URL) return `Redis (REDIS_URL is set)`;
  return "memory, inside this process (set REDIS_URL or the Upstash variables to change)";
}

/** Polls the liveness probe, then asks for the home page so the database is seeded. */
async function waitUntilReady(base) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${base}/signin`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        await fetch(`${base}/`).catch(() => undefined);
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  console.error(`The app did not answer on ${base} within a minute.`);
  child.kill("SIGTERM");
  process.exit(1);
}

function printBanner(secret) {
  const accounts = JSON.parse(readFileSync(path.join(appDir, "demo-accounts.json"), "utf8"));
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = [
    "",
    `  authcache demo is running on ${url}`,
    "",
    `  cache store   ${describeStore()}`,
    `  auth secret   ${secret}`,
    `  database      SQLite in ${shown(env.DEMO_DATA_DIR || path.join(appDir, "data"))}`,
    "",
    "  demo accounts (email / password / role):",
    ...accounts.map((a) => `    ${a.email.padEnd(width)}  ${a.password.padEnd(14)}  ${a.role}`),
    "",
    env.GITHUB_ID && env.GITHUB_SECRET
      ? "  GitHub sign-in is on."
      : "  GitHub sign-in is off (set GITHUB_ID and GITHUB_SECRET to turn it on).",
    "  Press Ctrl+C to stop.",
    "",
  ];
  console.log(lines.join("\n"));
}
