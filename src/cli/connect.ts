import { createAuthCache } from "../cache/auth-cache.js";
import type { AuthCache } from "../cache/types.js";
import { MissingDependencyError } from "../errors.js";
import { errorCode } from "../guard/error-code.js";
import { redisStore } from "../stores/redis.js";
import type { RedisClientLike } from "../stores/redis-client.js";
import type { Store } from "../stores/types.js";
import { upstashStore } from "../stores/upstash.js";
import { type CliArgs, CliFailure, UsageError } from "./args.js";

/**
 * The few raw commands the CLI needs beyond the cache: SCAN for `stats`, GET/SET/DEL for the
 * `bench` baseline. Implemented once per client library.
 */
export interface RawClient {
  scan(cursor: string, match: string, count: number): Promise<[string, string[]]>;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ttlMs: number): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
}

export interface Connection {
  cache: AuthCache;
  raw: RawClient;
  /** The store's address without credentials, for messages: `redis://127.0.0.1:6380`. */
  where: string;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

/**
 * The store did not answer: a `CliFailure` that also says which store and why, so that
 * `health --json` can still print a report for the script that asked.
 */
export class StoreUnreachable extends CliFailure {
  override name = "StoreUnreachable";

  constructor(
    readonly store: string,
    readonly where: string,
    readonly code: string,
  ) {
    super(`cannot reach the store at ${where} (${code})`);
  }
}

/** Which kind of store a URL points at, by its scheme. */
export function storeKindOf(url: string): "redis" | "upstash" {
  return /^https?:/i.test(url) ? "upstash" : "redis";
}

/** The store URL the flags and environment give, if any. */
export function storeUrl(args: CliArgs, env: Env = process.env): string | undefined {
  return args.url ?? env.REDIS_URL ?? env.UPSTASH_REDIS_REST_URL ?? env.KV_REST_API_URL;
}

/**
 * Opens the store the flags and environment point at (`--url`, else `REDIS_URL`, else the
 * Upstash variables), checks that it answers, and builds a cache over it with the app's prefix
 * and secret. A store that cannot be reached is a `CliFailure` naming its address and a code.
 */
export async function connect(args: CliArgs, env: Env = process.env): Promise<Connection> {
  const url = storeUrl(args, env);
  if (!url)
    throw new UsageError("no store: pass --url, or set REDIS_URL or UPSTASH_REDIS_REST_URL");

  const where = describe(url);
  const opened =
    storeKindOf(url) === "upstash"
      ? await openUpstash(
          url,
          args.token ?? env.UPSTASH_REDIS_REST_TOKEN ?? env.KV_REST_API_TOKEN,
          args,
        )
      : await openRedis(url, args, where);

  const cache = createAuthCache({
    store: opened.store,
    secret: args.secret ?? env.AUTH_SECRET ?? env.NEXTAUTH_SECRET,
    prefix: args.prefix,
    timeoutMs: args.timeoutMs,
  });

  // One round trip up front, so an unreachable store is one clear line, whatever the command.
  try {
    await cache.store.ping();
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw new StoreUnreachable(cache.store.kind, where, errorCode(error));
  }
  return { cache, raw: opened.raw, where, close: opened.close };
}

interface Opened {
  store: Store;
  raw: RawClient;
  close(): Promise<void>;
}

async function openRedis(url: string, args: CliArgs, where: string): Promise<Opened> {
  if (!/^rediss?:\/\//i.test(url))
    throw new UsageError("--url expects redis://, rediss:// or https://");
  const { createClient } = await importClient("redis", () => import("redis"));

  // A one-shot tool: no reconnect loop and no offline queue, so an outage ends the run at once.
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: args.timeoutMs, reconnectStrategy: false },
  });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new StoreUnreachable("redis", where, errorCode(error));
  }

  const send = (command: string[]) => client.sendCommand(command);
  return {
    store: redisStore({
      client: client as unknown as RedisClientLike,
      commandTimeoutMs: args.timeoutMs,
    }),
    raw: {
      scan: async (cursor, match, count) => {
        const reply = await send(["SCAN", cursor, "MATCH", match, "COUNT", String(count)]);
        const [next, keys] = reply as unknown as [unknown, unknown[]];
        return [String(next), keys.map(String)];
      },
      get: (key) => send(["GET", key]),
      set: (key, value, ttlMs) => send(["SET", key, value, "PX", String(ttlMs)]),
      del: (keys) => send(["DEL", ...keys]),
    },
    close: async () => {
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}

async function openUpstash(url: string, token: string | undefined, args: CliArgs): Promise<Opened> {
  if (!token) throw new UsageError("an Upstash URL needs --token or UPSTASH_REDIS_REST_TOKEN");
  const { Redis } = await importClient("@upstash/redis", () => import("@upstash/redis"));
  const client = new Redis({
    url,
    token,
    automaticDeserialization: false,
    enableTelemetry: false,
    retry: { retries: 0 },
    signal: () => AbortSignal.timeout(args.timeoutMs),
  });

  return {
    store: upstashStore({ client }),
    raw: {
      scan: async (cursor, match, count) => {
        const [next, keys] = await client.scan(cursor, { match, count });
        return [String(next), keys.map(String)];
      },
      get: (key) => client.get(key),
      set: (key, value, ttlMs) => client.set(key, value, { px: ttlMs }),
      del: (keys) => client.del(...keys),
    },
    close: async () => {},
  };
}

/**
 * The store's client library is an optional peer of authcache: when it is not installed next to
 * it, that is a `MissingDependencyError` (which says what to install), not a store failure.
 */
async function importClient<T>(pkg: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new MissingDependencyError(pkg, error);
    }
    throw error;
  }
}

/** The URL without user, password, path or query: safe to print. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    throw new UsageError("the store URL is not a valid URL");
  }
}
