#!/usr/bin/env node
/**
 * The `authcache` command: look into and act on the store an app's cache uses, from a shell or
 * a script. Exit codes: 0 done or healthy, 1 the store is down or a check failed, 2 bad usage.
 * Errors are one line on stderr (never a stack, a URL with its password, or a token).
 */
import { AuthCacheError } from "../errors.js";
import { errorCode } from "../guard/error-code.js";
import { type CliArgs, CliFailure, type CommandName, parseCli, USAGE, UsageError } from "./args.js";
import { bench } from "./bench.js";
import type { Command } from "./command.js";
import { connect, StoreUnreachable, storeKindOf, storeUrl } from "./connect.js";
import { health, printDownReport } from "./health.js";
import { inspect } from "./inspect.js";
import { createOutput } from "./output.js";
import { revoke } from "./revoke.js";
import { revokeUser } from "./revoke-user.js";
import { sessions } from "./sessions.js";
import { stats } from "./stats.js";

const COMMANDS: Record<CommandName, Command> = {
  health,
  inspect,
  sessions,
  revoke,
  "revoke-user": revokeUser,
  stats,
  bench,
};

/** Runs one invocation and resolves to its exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (error) {
    return fail(error);
  }
  if (args.command === "help") {
    process.stdout.write(USAGE);
    return 0;
  }

  const started = performance.now();
  try {
    const conn = await connect(args);
    try {
      return await COMMANDS[args.command]({ conn, args, out: createOutput(args.json) });
    } finally {
      await conn.close().catch(() => undefined);
    }
  } catch (error) {
    if (args.command === "health" && args.json) reportDown(args, error, started);
    return fail(error);
  }
}

/** `health --json` answers with a report even when the store could not be opened at all. */
function reportDown(args: CliArgs, error: unknown, started: number): void {
  const missing = missingDependency(error);
  const down =
    error instanceof StoreUnreachable ? error : missing ? { code: missing.code } : undefined;
  if (!down) return;

  const url = storeUrl(args);
  printDownReport(createOutput(true), args, {
    store: error instanceof StoreUnreachable ? error.store : url ? storeKindOf(url) : "unknown",
    where: error instanceof StoreUnreachable ? error.where : null,
    code: down.code,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
}

/** A missing client library, possibly wrapped as the cause of a store failure. */
function missingDependency(error: unknown): AuthCacheError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof AuthCacheError && e.code === "E_MISSING_DEPENDENCY") return e;
  }
  return undefined;
}

/** "install redis (npm i redis) to reach a Redis store". */
function installHint(error: AuthCacheError): string {
  const pkg = typeof error.context.pkg === "string" ? error.context.pkg : "the store's client";
  const store =
    pkg === "@upstash/redis" ? "an Upstash store" : pkg.includes("redis") ? "a Redis store" : "it";
  return `install ${pkg} (npm i ${pkg}) to reach ${store}`;
}

function fail(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`authcache: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const missing = missingDependency(error);
  if (missing) {
    process.stderr.write(`authcache: ${installHint(missing)}\n`);
    return 1;
  }
  if (error instanceof CliFailure) {
    process.stderr.write(`authcache: ${error.message}\n`);
    return 1;
  }
  // A bad id or option caught by the cache itself is a usage mistake; its message names the
  // rule, not the value.
  if (error instanceof AuthCacheError && error.code !== "E_STORE_UNAVAILABLE") {
    process.stderr.write(`authcache: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  process.stderr.write(`authcache: the store did not answer (${errorCode(error)})\n`);
  return 1;
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Whatever a client library left scheduled, the answer is out: do not linger on it.
setTimeout(() => process.exit(code), 200).unref();
