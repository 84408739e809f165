#!/usr/bin/env node
/**
 * The `authcache` command: look into and act on the store an app's cache uses, from a shell or
 * a script. Exit codes: 0 done or healthy, 1 the store is down or a check failed, 2 bad usage.
 * Errors are one line on stderr (never a stack, a URL with its password, or a token).
 */
import { AuthCacheError } from "../errors.js";
import { errorCode } from "../health/error-code.js";
import { type CliArgs, CliFailure, type CommandName, parseCli, USAGE, UsageError } from "./args.js";
import { bench } from "./bench.js";
import type { Command } from "./command.js";
import { connect } from "./connect.js";
import { health } from "./health.js";
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

  try {
    const conn = await connect(args);
    try {
      return await COMMANDS[args.command]({ conn, args, out: createOutput(args.json) });
    } finally {
      await conn.close().catch(() => undefined);
    }
  } catch (error) {
    return fail(error);
  }
}

function fail(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`authcache: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (error instanceof CliFailure) {
    process.stderr.write(`authcache: ${error.message}\n`);
    return 1;
  }
  // A bad id or option caught by the cache itself is a usage mistake; its message names the
  // rule, not the value.
  if (error instanceof AuthCacheError && error.code !== "E_STORE_UNAVAILABLE") {
    const code = error.code === "E_MISSING_DEPENDENCY" ? 1 : 2;
    process.stderr.write(`authcache: ${error.message}\n${code === 2 ? `\n${USAGE}` : ""}`);
    return code;
  }
  process.stderr.write(`authcache: the store did not answer (${errorCode(error)})\n`);
  return 1;
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Whatever a client library left scheduled, the answer is out: do not linger on it.
setTimeout(() => process.exit(code), 200).unref();
