/**
 * The Redis store: a `redis://` URL opened with node-redis, or the user's own node-redis or
 * ioredis client, single node or Cluster. Every read-then-write operation is one Lua script on
 * the keys of one hash slot; `get` and `del` send one command per slot, in parallel.
 */
import { InvalidOptionError, MissingDependencyError } from "../errors.js";
import { adaptClient, detectFlavour, type RedisClientLike, withTimeout } from "./redis-client.js";
import { createRedisOpsStore, type RedisCommands } from "./redis-ops.js";
import type { Store } from "./types.js";

export type {
  IoRedisLike,
  NodeRedisClientLike,
  NodeRedisClusterLike,
  RedisClientLike,
} from "./redis-client.js";

export interface RedisStoreOptions {
  /**
   * A `redis://` or `rediss://` URL; the store opens its own node-redis client on first use, with
   * the offline queue off and reconnects backing off up to half a second.
   * @default process.env.REDIS_URL
   */
  url?: string;
  /**
   * Your own client instead of a URL: a node-redis client or cluster (`createClient`,
   * `createCluster`, v5 or v6) or an ioredis `Redis` or `Cluster`. Its settings are left as they
   * are, and `close()` leaves it open. Recommended: node-redis `disableOfflineQueue: true`;
   * ioredis `enableOfflineQueue: false, maxRetriesPerRequest: 1`, so an outage fails fast.
   * @example redisStore({ client: new Redis(process.env.REDIS_URL) })
   */
  client?: RedisClientLike;
  /**
   * Milliseconds after which the client itself rejects a command, sent or not. Off by default:
   * behind `createAuthCache` every call already has the cache's `timeoutMs`. Set it when you
   * use the store on its own, or to bound your own client's commands.
   * @default none
   */
  commandTimeoutMs?: number;
  /**
   * Milliseconds the first operation waits for the store's own client to connect; later ones
   * fail at once while it is disconnected.
   * @default 2000
   */
  connectTimeoutMs?: number;
  /**
   * Told about each `error` event of the client (connection lost, refused, reset). An `error`
   * event with no listener would crash the process, so one is always attached.
   */
  onError?: (error: unknown) => void;
}

/** A store on Redis (standalone or Cluster) through node-redis or ioredis. */
export function redisStore(options: RedisStoreOptions = {}): Store {
  const onError = options.onError ?? (() => {});
  const commandTimeoutMs = positive("commandTimeoutMs", options.commandTimeoutMs);
  const connectTimeoutMs = positive("connectTimeoutMs", options.connectTimeoutMs) ?? 2000;

  if (options.client !== undefined) {
    if (options.url !== undefined) {
      throw new InvalidOptionError("url", "pass either `url` or `client`, not both");
    }
    // Checked now rather than on first use, so a wrong object fails where it was passed.
    detectFlavour(options.client);
    const client = options.client;
    return createRedisOpsStore(
      "redis",
      async () => adaptClient(client, { owned: false, commandTimeoutMs, onError }),
      { pubsub: true },
    );
  }

  const url = options.url ?? process.env.REDIS_URL;
  checkUrl(url);
  return createRedisOpsStore(
    "redis",
    () => openOwnClient(url, commandTimeoutMs, connectTimeoutMs, onError),
    { pubsub: true },
  );
}

/**
 * The store's own client carries no per-command timeout unless asked: a timer per command costs
 * more than a loopback round trip, and it would buy nothing behind the cache's guard. The guard's
 * shared deadline already answers the caller in time. A command written to a frozen server stays
 * in node-redis's reply queue until the server answers or the socket closes, timeout or not
 * (replies are matched by position), so the client's timeout would not free it either. What keeps
 * such commands from piling up is that the breaker stops sending after a few timeouts (one probe
 * per cooldown after that), and the guard sends nothing while too many calls are unanswered.
 */
async function openOwnClient(
  url: string,
  commandTimeoutMs: number | undefined,
  connectTimeoutMs: number,
  onError: (error: unknown) => void,
): Promise<RedisCommands> {
  let redis: typeof import("redis");
  try {
    redis = await import("redis");
  } catch (error) {
    throw new MissingDependencyError("redis", error);
  }

  const client = redis.createClient({
    url,
    // A command sent while disconnected fails at once instead of waiting in a queue: the cache
    // then falls back, rather than piling up requests behind an outage.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Never give up: a client that stops reconnecting turns a blip into a permanent outage.
      // The delay is bounded low, because the app runs on fallbacks until the client is back: a
      // server back from a restart is used again within about half a second. A refused attempt
      // costs one SYN; jitter keeps many instances from reconnecting in step.
      reconnectStrategy: (retries: number) =>
        Math.min(50 * 2 ** retries, 500) + Math.floor(Math.random() * 100),
    },
  });
  const commands = adaptClient(client, { owned: true, commandTimeoutMs, onError });

  // Wait for the first connection once, within bounds; after that, commands fail fast while
  // the client reconnects in the background.
  const connecting = client.connect();
  connecting.catch(() => {});
  await withTimeout(connecting, connectTimeoutMs).catch(() => {});
  return commands;
}

function checkUrl(url: string | undefined): asserts url is string {
  if (url === undefined || url === "") {
    throw new InvalidOptionError("url", "pass `url`, `client`, or set REDIS_URL");
  }

  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    // The URL may carry a password: it is never echoed.
    throw new InvalidOptionError("url", "not a valid URL");
  }
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new InvalidOptionError("url", "expected a redis:// or rediss:// URL");
  }
}

function positive(option: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(option, "must be a positive number of milliseconds");
  }
  return value;
}
