/**
 * The Upstash store: the same Lua scripts as the Redis store, over Upstash's REST API with
 * @upstash/redis. It imports nothing from `node:`, so it runs on edge runtimes; the client library
 * is imported on first use, so apps on other stores never load it.
 *
 * The REST API has no subscriptions, so this store offers no pub/sub: a cache with the L1 tier
 * on Upstash keeps its entries for their TTL alone (`cache.l1.mode` is "ttl-only").
 */
import type { Redis, Requester } from "@upstash/redis";
import { InvalidOptionError, MissingDependencyError } from "../errors.js";
import { createRedisOpsStore, type RedisCommands } from "./redis-ops.js";
import type { Store } from "./types.js";

export interface UpstashStoreOptions {
  /**
   * The database's REST URL (`https://…upstash.io`).
   * @default process.env.UPSTASH_REDIS_REST_URL, then KV_REST_API_URL
   */
  url?: string;
  /**
   * The database's REST token.
   * @default process.env.UPSTASH_REDIS_REST_TOKEN, then KV_REST_API_TOKEN
   */
  token?: string;
  /**
   * Your own `Redis` from @upstash/redis instead of a URL and token; its URL, token, retries and
   * encoding are used as they are. Values read back exactly whatever its
   * `automaticDeserialization` setting: the store sends its commands below that layer.
   */
  client?: Redis;
  /**
   * Milliseconds after which a request is aborted (the store's own client only).
   * @default 1000
   */
  commandTimeoutMs?: number;
}

/** A store on Upstash Redis over its REST API. */
export function upstashStore(options: UpstashStoreOptions = {}): Store {
  if (options.client !== undefined) {
    if (options.url !== undefined || options.token !== undefined) {
      throw new InvalidOptionError("client", "pass either `client` or `url` and `token`");
    }
    const client = options.client;
    return createRedisOpsStore("upstash", async () => classified(userClientCommands(client)));
  }

  const env = readEnv();
  const url = options.url ?? env.UPSTASH_REDIS_REST_URL ?? env.KV_REST_API_URL;
  const token = options.token ?? env.UPSTASH_REDIS_REST_TOKEN ?? env.KV_REST_API_TOKEN;
  checkUrl(url);
  checkToken(token);

  const timeoutMs = options.commandTimeoutMs ?? 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidOptionError("commandTimeoutMs", "must be a positive number of milliseconds");
  }

  return createRedisOpsStore("upstash", async () => {
    let upstash: typeof import("@upstash/redis");
    try {
      upstash = await import("@upstash/redis");
    } catch (error) {
      throw new MissingDependencyError("@upstash/redis", error);
    }

    const client = new upstash.Redis({
      url,
      token,
      // Values are opaque strings: parsing "0012" as JSON would return 12.
      automaticDeserialization: false,
      // One quick retry of a network error, then the cache's fallback takes over; the default
      // (five, backing off for seconds) would hold a request far past any sensible budget. A
      // retry is safe: every operation is idempotent (a script that ran twice leaves the same
      // state). A request aborted by its deadline is not retried, nor is an error the service
      // answered with (a rate limit, a quota, a wrong token).
      retry: { retries: 1, backoff: () => 25 },
      // A function, so every request gets its own deadline.
      signal: () => AbortSignal.timeout(timeoutMs),
    });
    return classified(upstashCommands(client));
  });
}

/**
 * The commands over a user's client. Its JSON deserialization (on by default) would read "0012"
 * back as 12 and "null" as null, and cannot be turned off per command; so the store talks to the
 * client's transport (`Requester`, the object that sends the HTTP requests, with the user's URL,
 * token, retries and base64 decoding) directly. Should a future version hide it, the public
 * commands are used instead.
 */
function userClientCommands(client: Redis): RedisCommands {
  const requester = (client as unknown as { client?: Requester }).client;
  if (typeof requester?.request !== "function") return upstashCommands(client);

  const call = async (command: string[]) => unwrap(await requester.request({ body: command }));
  const pipeline = async (commands: string[][]) => {
    if (commands.length === 1) return [await call(commands[0] ?? [])];
    const replies = await requester.request({ path: ["pipeline"], body: commands });
    return (replies as unknown as { result?: unknown; error?: string }[]).map(unwrap);
  };

  return {
    clustered: true,
    mget: async (groups) => {
      const replies = await pipeline(groups.map((keys) => ["MGET", ...keys]));
      return replies.map((reply) => (Array.isArray(reply) ? reply : []));
    },
    del: async (groups) => {
      const counts = await pipeline(groups.map((keys) => ["DEL", ...keys]));
      return counts.reduce<number>((sum, n) => sum + Number(n), 0);
    },
    evalsha: (sha, keys, args) => call(["EVALSHA", sha, String(keys.length), ...keys, ...args]),
    eval: (source, keys, args) => call(["EVAL", source, String(keys.length), ...keys, ...args]),
    pttl: async (key) => Number(await call(["PTTL", key])),
    ping: async () => {
      await call(["PING"]);
    },
    close: async () => {},
  };
}

function unwrap(reply: { result?: unknown; error?: string }): unknown {
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply.result;
}

/**
 * The store's commands over @upstash/redis. Upstash may shard a database, so keys are grouped by
 * slot like on a cluster; several groups still travel in one HTTP request, as a pipeline.
 */
function upstashCommands(client: Redis): RedisCommands {
  return {
    clustered: true,
    mget: async (groups) => {
      if (groups.length === 1) return [await client.mget<unknown[]>(...(groups[0] ?? []))];

      const pipeline = client.pipeline();
      for (const keys of groups) pipeline.mget(...keys);
      const replies = await pipeline.exec<unknown[][]>();
      return replies.map((reply) => (Array.isArray(reply) ? reply : []));
    },
    del: async (groups) => {
      if (groups.length === 1) return client.del(...(groups[0] ?? []));

      const pipeline = client.pipeline();
      for (const keys of groups) pipeline.del(...keys);
      const counts = await pipeline.exec<number[]>();
      return counts.reduce((sum, n) => sum + Number(n), 0);
    },
    evalsha: (sha, keys, args) => client.evalsha(sha, keys, args),
    eval: (source, keys, args) => client.eval(source, keys, args),
    pttl: (key) => client.pttl(key),
    ping: async () => {
      await client.ping();
    },
    // HTTP holds no connection to release.
    close: async () => {},
  };
}

/**
 * The service's refusals as errors with a stable `code`, so metrics and logs can tell a rate
 * limit from an exhausted quota or a wrong token: all three mean "store down" to the cache, and
 * the request falls back. The message loses what @upstash/redis appends after the server's text
 * (the whole command, keys and values included), which must never reach a log.
 */
export class UpstashRequestError extends Error {
  readonly code: "RATE_LIMITED" | "QUOTA_EXCEEDED" | "UNAUTHORIZED" | "UPSTASH_ERROR";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UpstashRequestError";
    this.code = /unauthori[sz]ed|wrongpass|noauth|invalid .*token/i.test(message)
      ? "UNAUTHORIZED"
      : /max .*limit exceeded|quota/i.test(message)
        ? "QUOTA_EXCEEDED"
        : /too many requests|rate.?limit/i.test(message)
          ? "RATE_LIMITED"
          : "UPSTASH_ERROR";
  }
}

/** Errors the service answered with, reworded by `UpstashRequestError`; others pass as they are. */
function classified(commands: RedisCommands): RedisCommands {
  const rethrow = (error: unknown): never => {
    const name = (error as { name?: unknown } | null)?.name;
    // UpstashError and its subclasses carry the server's answer; a plain Error is the one
    // `unwrap` makes of a pipeline reply. Network errors and aborts pass through unchanged.
    const fromServer = typeof name === "string" && (name.startsWith("Upstash") || name === "Error");
    if (!(error instanceof Error) || !fromServer) throw error;
    // Only the server's own words, before the command @upstash/redis quotes after them.
    const text = error.message.split(", command was:")[0] ?? "";
    throw new UpstashRequestError(text.slice(0, 200));
  };
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      fn(...args).catch(rethrow);

  return {
    clustered: commands.clustered,
    mget: wrap(commands.mget),
    del: wrap(commands.del),
    evalsha: wrap(commands.evalsha),
    eval: wrap(commands.eval),
    pttl: wrap(commands.pttl),
    ping: wrap(commands.ping),
    close: commands.close,
  };
}

function readEnv(): Record<string, string | undefined> {
  // `process` may be missing on edge runtimes (Cloudflare Workers without node compatibility).
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

function checkUrl(url: string | undefined): asserts url is string {
  if (!url) {
    throw new InvalidOptionError("url", "pass `url` or set UPSTASH_REDIS_REST_URL");
  }

  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new InvalidOptionError("url", "UPSTASH_REDIS_REST_URL is not a valid URL");
  }
  if (protocol !== "https:" && protocol !== "http:") {
    throw new InvalidOptionError("url", "expected the https:// REST URL, not a redis:// one");
  }
}

function checkToken(token: string | undefined): asserts token is string {
  if (!token) {
    throw new InvalidOptionError("token", "pass `token` or set UPSTASH_REDIS_REST_TOKEN");
  }
  // The token itself is never echoed: it is a credential.
  if (/\s/.test(token)) {
    throw new InvalidOptionError("token", "contains whitespace; check how it was copied");
  }
}
