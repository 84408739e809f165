/**
 * Adapts the four TCP client flavours a user may hand to `redisStore` (node-redis client or
 * cluster, ioredis client or Cluster) to the few commands the store needs. The flavour is told
 * by shape, so neither library is imported here and a user of one never needs the other.
 */
import { InvalidOptionError } from "../errors.js";
import type { OpenSubscriber } from "./redis-bus.js";
import type { RedisCommands } from "./redis-ops.js";
import { ioredisSubscriber, nodeRedisSubscriber, pick } from "./redis-subscriber.js";

type ErrorListener = (error: unknown) => void;

interface Emitter {
  on(event: "error", listener: ErrorListener): unknown;
  off(event: "error", listener: ErrorListener): unknown;
}

/** The parts of a node-redis v5 / v6 client the store uses. */
export interface NodeRedisClientLike extends Emitter {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[], options?: NodeRedisCommandOptions): Promise<unknown>;
}

/** The parts of a node-redis v5 / v6 cluster (`createCluster`) the store uses. */
export interface NodeRedisClusterLike extends Emitter {
  readonly isOpen: boolean;
  readonly masters: unknown;
  /** The client of one node; its `duplicate()` subscribes for the L1 tier. */
  nodeClient?(node: never): unknown;
  connect(): Promise<unknown>;
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
}

/** The parts of an ioredis v5 / v6 `Redis` or `Cluster` the store uses. */
export interface IoRedisLike extends Emitter {
  readonly status: string;
  readonly isCluster?: boolean;
  call(command: string, ...args: string[]): Promise<unknown>;
  /** A Cluster's node connections; one master's `duplicate()` subscribes for the L1 tier. */
  nodes?(role: "master"): unknown[];
}

/** A client the user already configured: node-redis or ioredis, single node or cluster. */
export type RedisClientLike = NodeRedisClientLike | NodeRedisClusterLike | IoRedisLike;

interface NodeRedisCommandOptions {
  timeout?: number;
  rejectInFlight?: boolean;
}

type Flavour = "node-redis" | "node-redis-cluster" | "ioredis" | "ioredis-cluster";

/** Which library and topology `client` is; throws `InvalidOptionError` for anything else. */
export function detectFlavour(client: unknown): Flavour {
  const c = client as Record<string, unknown> | null;
  // ioredis also has a `sendCommand`, so it is told apart first, by `call` and `status`.
  if (c && typeof c.call === "function" && typeof c.status === "string") {
    return c.isCluster === true ? "ioredis-cluster" : "ioredis";
  }
  if (c && typeof c.sendCommand === "function" && typeof c.connect === "function") {
    return "masters" in c ? "node-redis-cluster" : "node-redis";
  }
  throw new InvalidOptionError(
    "client",
    "expected a node-redis client or cluster, or an ioredis Redis or Cluster",
  );
}

export interface AdapterOptions {
  /** Rejects a command after this many ms (node-redis per command; ioredis by a timer). */
  commandTimeoutMs?: number | undefined;
  /** Whether the store opened the client, and so closes it. */
  owned: boolean;
  /** Told about every `error` event of the client. */
  onError: ErrorListener;
}

/** Wraps `client` as `RedisCommands`, attaching (and on close detaching) an error listener. */
export function adaptClient(client: RedisClientLike, options: AdapterOptions): RedisCommands {
  const flavour = detectFlavour(client);
  client.on("error", options.onError);

  const release = async () => {
    client.off("error", options.onError);
    if (options.owned) await closeClient(client);
  };

  if (flavour === "ioredis" || flavour === "ioredis-cluster") {
    return ioredisCommands(client as IoRedisLike, flavour === "ioredis-cluster", options, release);
  }
  return nodeRedisCommands(
    client as NodeRedisClientLike | NodeRedisClusterLike,
    flavour === "node-redis-cluster",
    options,
    release,
  );
}

function nodeRedisCommands(
  client: NodeRedisClientLike | NodeRedisClusterLike,
  clustered: boolean,
  options: AdapterOptions,
  release: () => Promise<void>,
): RedisCommands {
  const commandOptions =
    options.commandTimeoutMs === undefined
      ? undefined
      : { timeout: options.commandTimeoutMs, rejectInFlight: true };

  // A user's client that was created but never connected is connected on first use; it stays
  // theirs to close. Calls made meanwhile wait for that connection (a cluster cannot route a
  // command before it knows the slots), later ones go straight through.
  let connecting: Promise<unknown> | undefined;
  const ensureOpen = async () => {
    if (!client.isOpen) {
      const pending = client.connect();
      connecting = pending;
      const settle = () => {
        if (connecting === pending) connecting = undefined;
      };
      pending.then(settle, settle);
    }
    if (connecting) await connecting;
  };

  const send = async (firstKey: string | undefined, args: string[]) => {
    await ensureOpen();
    return clustered
      ? (client as NodeRedisClusterLike).sendCommand(firstKey, false, args, commandOptions)
      : (client as NodeRedisClientLike).sendCommand(args, commandOptions);
  };

  const subscriberBase = async (): Promise<unknown> => {
    if (!clustered) return client;
    await ensureOpen();
    const cluster = client as NodeRedisClusterLike;
    const master = pick(Array.isArray(cluster.masters) ? cluster.masters : []);
    if (master === undefined || typeof cluster.nodeClient !== "function") {
      throw new Error("no cluster master to subscribe on");
    }
    return cluster.nodeClient(master as never);
  };

  return commandsOver(
    send,
    clustered,
    release,
    nodeRedisSubscriber(subscriberBase, options.onError),
  );
}

function ioredisCommands(
  client: IoRedisLike,
  clustered: boolean,
  options: AdapterOptions,
  release: () => Promise<void>,
): RedisCommands {
  const timeout = options.commandTimeoutMs;
  // ioredis routes a Cluster command by the keys it finds in it, so the first key is not needed.
  const send = (_firstKey: string | undefined, [command = "", ...args]: string[]) =>
    withTimeout(client.call(command, ...args), timeout);

  const subscriberBase = async (): Promise<unknown> => {
    if (!clustered) return client;
    // A Cluster that has not connected yet knows no nodes; any command waits for it.
    if ((client.nodes?.("master") ?? []).length === 0) await client.call("PING");
    const master = pick(client.nodes?.("master") ?? []);
    if (master === undefined) throw new Error("no cluster master to subscribe on");
    return master;
  };

  return commandsOver(send, clustered, release, ioredisSubscriber(subscriberBase, options.onError));
}

/** The commands over one `send(firstKey, args)`, the only thing that differs by flavour. */
function commandsOver(
  send: (firstKey: string | undefined, args: string[]) => Promise<unknown>,
  clustered: boolean,
  release: () => Promise<void>,
  openSubscriber: OpenSubscriber,
): RedisCommands {
  return {
    clustered,
    // On a Cluster a PUBLISH is relayed to every node, so it may go to any of them.
    publish: async (channel, message) => {
      await send(channel, ["PUBLISH", channel, message]);
    },
    openSubscriber,
    mget: (groups) =>
      Promise.all(
        groups.map(async (keys) => {
          const reply = await send(keys[0], ["MGET", ...keys]);
          return Array.isArray(reply) ? reply : [];
        }),
      ),
    del: async (groups) => {
      const counts = await Promise.all(groups.map((keys) => send(keys[0], ["DEL", ...keys])));
      return counts.reduce<number>((sum, n) => sum + Number(n), 0);
    },
    evalsha: (sha, keys, args) =>
      send(keys[0], ["EVALSHA", sha, String(keys.length), ...keys, ...args]),
    eval: (source, keys, args) =>
      send(keys[0], ["EVAL", source, String(keys.length), ...keys, ...args]),
    pttl: async (key) => Number(await send(key, ["PTTL", key])),
    ping: async () => {
      await send(undefined, ["PING"]);
    },
    close: release,
  };
}

/** Closes a node-redis client or cluster the store opened (the only kind it opens). */
async function closeClient(client: RedisClientLike): Promise<void> {
  const c = client as { isOpen?: boolean; isReady?: boolean; close?(): Promise<unknown> };
  const destroy = (client as { destroy?(): void }).destroy;
  // close() lets replies in flight arrive; a client still reconnecting has none worth waiting
  // for, and close() would wait for a server that is not there.
  if (c.isReady && typeof c.close === "function") await c.close();
  else if (c.isOpen && typeof destroy === "function") destroy.call(client);
}

/** Rejects when `promise` has not settled after `ms` (no timer when `ms` is undefined). */
export function withTimeout<T>(promise: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return promise;

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`command timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
