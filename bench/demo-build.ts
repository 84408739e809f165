/**
 * The demo is measured as users run it: the production build (`next build`), which bundles the
 * library's `dist/` into the app. A build made from an older `dist/` would measure older code, so
 * the build is reused only when it was made from exactly the current `dist/` and demo sources
 * (a fingerprint kept next to it), or when `E2E_SKIP_BUILD=1` asks to reuse whatever is there.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { APP_DIR, buildApp } from "../test/e2e/demo-server.js";

const ROOT = path.resolve(APP_DIR, "../..");
const BUILD_ID = path.join(APP_DIR, ".next", "BUILD_ID");
const STAMP = path.join(APP_DIR, ".next", "authcache-bench-sources");
/** Outputs and local state at the top of the demo's folder, not its sources. */
const NOT_SOURCES = new Set([
  ".next",
  "node_modules",
  "data",
  "cache",
  "next-env.d.ts",
  "tsconfig.tsbuildinfo",
]);

/** Builds the demo when needed; says what it did, for the log and the result. */
export async function ensureDemoBuild(log: (line: string) => void): Promise<string> {
  if (process.env.E2E_SKIP_BUILD === "1") {
    if (!existsSync(BUILD_ID)) throw new Error("E2E_SKIP_BUILD=1 but the demo was never built");
    return "reused the existing build (E2E_SKIP_BUILD=1)";
  }

  const sources = fingerprint();
  if (existsSync(BUILD_ID) && readStamp() === `${buildId()} ${sources}`) {
    return "reused the build made from the current dist/ and demo sources";
  }

  log("demo-load: building the demo (next build), as its sources or dist/ changed");
  const started = performance.now();
  await buildApp();
  writeFileSync(STAMP, `${buildId()} ${sources}\n`);
  return `built (next build, ${((performance.now() - started) / 1000).toFixed(0)} s)`;
}

function buildId(): string {
  return readFileSync(BUILD_ID, "utf8").trim();
}

function readStamp(): string | null {
  return existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : null;
}

/** A hash over the library's build, the demo's sources and the locked dependencies. */
function fingerprint(): string {
  const hash = createHash("sha256");
  const files = [
    path.join(ROOT, "package-lock.json"),
    ...walk(path.join(ROOT, "dist")),
    ...walk(APP_DIR, NOT_SOURCES),
  ].sort();
  for (const file of files) {
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

function* walk(dir: string, skip = new Set<string>()): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}
