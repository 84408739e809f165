import { parseArgs } from "node:util";
import { isValidId } from "../cache/keys.js";

/** A mistake in how the command was called: exit code 2 and the usage text. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A command that could not do its job (store down, check failed, nothing found): exit 1. */
export class CliFailure extends Error {
  override name = "CliFailure";
}

export const USAGE = `Usage: authcache <command> [options]

Commands:
  health                      Ping the store and round-trip each cache operation
  inspect <sessionId>         A session's cached claims, blacklist state and TTLs
  sessions <userId|email>     A user's live sessions
  revoke <sessionId>          Revoke one session
  revoke-user <userId|email>  Revoke every session of a user ("sign out everywhere")
  stats                       Count the keys under the prefix, by kind (SCAN)
  bench                       Time store operations: ops/s, p50, p99

Options:
  --url <url>           redis://, rediss:// or an Upstash https:// REST URL
                        (default: REDIS_URL, then UPSTASH_REDIS_REST_URL)
  --token <token>       Upstash REST token (default: UPSTASH_REDIS_REST_TOKEN)
  --prefix <prefix>     Key prefix the app uses (default: authcache)
  --secret <secret>     The app's secret, to resolve emails and read encrypted values
                        (default: AUTH_SECRET; prefer the variable, flags show in ps)
  --timeout <ms>        Per-call timeout (default: 2000)
  --budget <ms>         health: latency budget per check (default: 250)
  --ops <n>             bench: operations per phase (default: 1000)
  --concurrency <n>     bench: operations in flight (default: 10)
  --json                Machine-readable output on stdout
  -h, --help            This text

Exit codes: 0 ok, 1 store unreachable or check failed, 2 bad usage.
`;

/** Each command and the names of its positional arguments. */
const COMMANDS = {
  health: [],
  inspect: ["sessionId"],
  sessions: ["userId|email"],
  revoke: ["sessionId"],
  "revoke-user": ["userId|email"],
  stats: [],
  bench: [],
} as const satisfies Record<string, readonly string[]>;

export type CommandName = keyof typeof COMMANDS;

export interface CliArgs {
  command: CommandName | "help";
  target: string | undefined;
  json: boolean;
  url: string | undefined;
  token: string | undefined;
  prefix: string | undefined;
  secret: string | undefined;
  timeoutMs: number;
  budgetMs: number;
  ops: number;
  concurrency: number;
}

/** Parses argv (without `node` and the script); throws `UsageError` for anything off. */
export function parseCli(argv: string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // node's own messages name the offending option; nothing secret is echoed but the name.
    throw new UsageError((error as Error).message.split(/\.\s|\n/)[0] ?? "invalid arguments");
  }

  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) return { ...defaults(values), command: "help", target: undefined };
  if (command === undefined) throw new UsageError("missing command");
  if (!(command in COMMANDS)) throw new UsageError(`unknown command "${command.slice(0, 40)}"`);

  const wanted = COMMANDS[command as CommandName];
  if (rest.length !== wanted.length) {
    const shape = wanted.map((name) => `<${name}>`).join(" ");
    throw new UsageError(`usage: authcache ${command}${shape ? ` ${shape}` : ""}`);
  }
  const target = rest[0];
  if (
    target !== undefined &&
    !isValidId(target) &&
    !(wanted[0] === "userId|email" && isEmail(target))
  ) {
    throw new UsageError(
      wanted[0] === "sessionId" ? "not a valid session id" : "not a valid user id or email",
    );
  }
  return { ...defaults(values), command: command as CommandName, target };
}

/** Whether a user argument reads as an email (to be resolved) rather than a user id. */
export function isEmail(text: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text) && text.length <= 320;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      prefix: { type: "string" },
      secret: { type: "string" },
      timeout: { type: "string" },
      budget: { type: "string" },
      ops: { type: "string" },
      concurrency: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function defaults(values: ReturnType<typeof parse>["values"]): Omit<CliArgs, "command" | "target"> {
  return {
    json: values.json === true,
    url: values.url,
    token: values.token,
    prefix: values.prefix,
    secret: values.secret,
    timeoutMs: positiveInt("timeout", values.timeout, 2000),
    budgetMs: positiveInt("budget", values.budget, 250),
    ops: positiveInt("ops", values.ops, 1000),
    concurrency: positiveInt("concurrency", values.concurrency, 10),
  };
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0 || n > 10_000_000) {
    throw new UsageError(`--${name} expects a positive whole number`);
  }
  return n;
}
