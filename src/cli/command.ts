import { isValidId } from "../cache/keys.js";
import { type CliArgs, CliFailure, isEmail, UsageError } from "./args.js";
import type { Connection } from "./connect.js";
import type { Output } from "./output.js";

/** What every command gets: an open connection, the parsed arguments and the output. */
export interface CommandContext {
  conn: Connection;
  args: CliArgs;
  out: Output;
}

/** A command resolves to its exit code; failures throw `CliFailure` or `UsageError`. */
export type Command = (ctx: CommandContext) => Promise<number>;

/** The positional argument, which the parser guarantees for commands that take one. */
export function target(args: CliArgs): string {
  if (args.target === undefined) throw new UsageError(`${args.command} needs an argument`);
  return args.target;
}

/** The argument as a session id, or a usage error. */
export function sessionIdArg(args: CliArgs): string {
  const id = target(args);
  if (!isValidId(id)) throw new UsageError("not a valid session id");
  return id;
}

/**
 * A user id, or an email resolved to one through the cache's email map (an HMAC under the
 * app's secret, so the secret is needed). Mappings live an hour after sign-in, so an older
 * user may have none: the message says to pass the id.
 */
export async function resolveUser(conn: Connection, input: string): Promise<string> {
  if (!isEmail(input)) {
    if (!isValidId(input)) throw new UsageError("not a valid user id or email");
    return input;
  }

  const { cache } = conn;
  if (!cache.options.hasSecret) {
    throw new UsageError("resolving an email needs --secret or AUTH_SECRET (the app's secret)");
  }

  // Read through the store first: the cache method reads a store failure as "not found".
  const [raw] = await cache.store.get([await cache.emailKey(input)]);
  const userId = raw ? await cache.getUserIdByEmail(input) : null;
  if (!userId) throw new CliFailure("no user id is cached for that email; pass the user id");
  return userId;
}
