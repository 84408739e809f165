/**
 * The store operations shared by the Redis and Upstash stores, written once against a handful of
 * commands (`RedisCommands`) that each client flavour provides. No `node:` imports: the Upstash
 * store runs on edge runtimes.
 */
import { AuthCacheError, InvalidOptionError, StoreUnavailableError } from "../errors.js";
import { keepSubscription, type OpenSubscriber } from "./redis-bus.js";
import {
  EXTEND,
  INDEX_ADD,
  INDEX_LIST,
  INDEX_REMOVE,
  type LuaScript,
  RAISE,
  WRITE,
} from "./redis-scripts.js";
import { groupBySlot } from "./redis-slots.js";
import type { BusListener, IndexEntry, IndexKeys, Store, WriteCondition } from "./types.js";

/** The few commands a Redis-like backend must offer; replies are passed through raw. */
export interface RedisCommands {
  /** Whether multi-key commands must stay within one slot (a cluster, or Upstash). */
  readonly clustered: boolean;
  /** One MGET per group, all sent at once; each group's keys share a slot when clustered. */
  mget(groups: string[][]): Promise<unknown[][]>;
  /** One DEL per group, all sent at once; returns the total count. */
  del(groups: string[][]): Promise<number>;
  evalsha(sha: string, keys: string[], args: string[]): Promise<unknown>;
  eval(source: string, keys: string[], args: string[]): Promise<unknown>;
  pttl(key: string): Promise<number>;
  ping(): Promise<void>;
  /** Releases what the store opened; leaves a user's client open. */
  close(): Promise<void>;
  /** PUBLISH, where the backend has pub/sub. */
  publish?(channel: string, message: string): Promise<void>;
  /** A connection of its own, subscribed to a channel (see `redis-bus.ts`). */
  openSubscriber?: OpenSubscriber;
}

/**
 * Builds a `Store` over commands that are opened lazily by `open` on the first operation, so that
 * creating a store (or importing its module) never opens a socket. With `pubsub`, the store also
 * publishes and subscribes (the backend's commands must then offer both).
 */
export function createRedisOpsStore(
  kind: string,
  open: () => Promise<RedisCommands>,
  features: { pubsub?: boolean } = {},
): Store {
  const subscriptions = new Set<() => Promise<void>>();
  let opened: Promise<RedisCommands> | undefined;
  const commands = () => {
    opened ??= open().catch((error: unknown) => {
      // Let the next call try again (a package installed since, a URL fixed in the env).
      opened = undefined;
      throw error;
    });
    return opened;
  };

  const guard = async <T>(op: string, fn: (cmd: RedisCommands) => Promise<T>): Promise<T> => {
    try {
      return await fn(await commands());
    } catch (error) {
      // Misuse (a missing package, a bad option) keeps its own class; the rest is an outage.
      if (error instanceof AuthCacheError) throw error;
      throw new StoreUnavailableError(kind, op, error);
    }
  };

  const run = async (cmd: RedisCommands, lua: LuaScript, keys: string[], args: string[]) => {
    const sha = await lua.sha();
    try {
      return await cmd.evalsha(sha, keys, args);
    } catch (error) {
      // A restarted server or a fresh cluster node forgot the script; EVAL caches it again.
      if (!String((error as Error)?.message ?? error).includes("NOSCRIPT")) throw error;
      return cmd.eval(lua.source, keys, args);
    }
  };

  const pubsub: Pick<Store, "publish" | "subscribe"> = {
    publish: (channel, message) =>
      guard("publish", async (cmd) => {
        if (!cmd.publish) throw new Error("this backend has no pub/sub");
        await cmd.publish(channel, message);
      }),

    subscribe: (channel: string, listener: BusListener) => {
      const stop = keepSubscription({
        channel,
        listener,
        open: async (ch, events) => {
          const cmd = await commands();
          if (!cmd.openSubscriber) throw new Error("this backend has no pub/sub");
          return cmd.openSubscriber(ch, events);
        },
        publish: async (ch, message) => (await commands()).publish?.(ch, message),
      });
      subscriptions.add(stop);
      return async () => {
        subscriptions.delete(stop);
        await stop();
      };
    },
  };

  return {
    kind,
    ...(features.pubsub ? pubsub : {}),

    get: (keys) => {
      if (keys.length === 0) return Promise.resolve([]);
      return guard("get", async (cmd) => {
        if (!cmd.clustered) {
          const [values = []] = await cmd.mget([[...keys]]);
          return keys.map((_, i) => asString(values[i]));
        }

        const groups = groupBySlot(keys);
        const replies = await cmd.mget(groups.map((group) => group.keys));
        const out: (string | null)[] = new Array(keys.length).fill(null);
        groups.forEach((group, g) => {
          const values = replies[g] ?? [];
          group.positions.forEach((position, i) => {
            out[position] = asString(values[i]);
          });
        });
        return out;
      });
    },

    write: (key, value, ttlMs, condition?: WriteCondition) =>
      guard("write", async (cmd) => {
        const keys = condition?.unlessExists ? [key, condition.unlessExists] : [key];
        const args = [value, ttlArg(ttlMs), condition?.ifNewer ? "1" : "0"];
        return Number(await run(cmd, WRITE, keys, args)) === 1;
      }),

    extend: (key, value, ttlMs) =>
      guard("extend", async (cmd) => {
        await run(cmd, EXTEND, [key], [value, ttlArg(ttlMs)]);
      }),

    raise: (key, n, ttlMs) =>
      guard("raise", async (cmd) => {
        if (!Number.isFinite(n)) throw new InvalidOptionError("n", "must be a finite number");
        await run(cmd, RAISE, [key], [String(n), ttlArg(ttlMs)]);
      }),

    del: (keys) => {
      if (keys.length === 0) return Promise.resolve(0);
      return guard("del", (cmd) =>
        cmd.del(cmd.clustered ? groupBySlot(keys).map((group) => group.keys) : [[...keys]]),
      );
    },

    ttl: (key) =>
      guard("ttl", async (cmd) => {
        const pttl = Number(await cmd.pttl(key));
        if (pttl === -2) return null;
        // -1 means a key without a TTL, which this library never writes: someone else's key.
        if (pttl === -1) return Number.POSITIVE_INFINITY;
        return pttl;
      }),

    indexAdd: (index: IndexKeys, member, expiresAt, meta, nowMs, limit) =>
      guard("indexAdd", async (cmd) => {
        const ttl = Math.max(1, Math.ceil(expiresAt - nowMs));
        const args = [
          String(nowMs),
          member,
          String(expiresAt),
          meta,
          String(ttl),
          String(limit ?? 0),
        ];
        await run(cmd, INDEX_ADD, [index.set, index.meta], args);
      }),

    indexList: (index, nowMs) =>
      guard("indexList", async (cmd) => {
        const flat = await run(cmd, INDEX_LIST, [index.set, index.meta], [String(nowMs)]);
        const items = Array.isArray(flat) ? flat : [];
        const entries: IndexEntry[] = [];
        for (let i = 0; i + 2 < items.length; i += 3) {
          entries.push({
            member: asString(items[i]) ?? "",
            expiresAt: Number(items[i + 1]),
            meta: asString(items[i + 2]),
          });
        }
        return entries;
      }),

    indexRemove: (index, members) => {
      if (members.length === 0) return Promise.resolve();
      return guard("indexRemove", async (cmd) => {
        await run(cmd, INDEX_REMOVE, [index.set, index.meta], [...members]);
      });
    },

    ping: () => guard("ping", (cmd) => cmd.ping()),

    close: async () => {
      // Subscribers are the store's own connections, even over a user's client.
      const stops = [...subscriptions];
      subscriptions.clear();
      await Promise.all(stops.map((stop) => stop()));

      const pending = opened;
      opened = undefined;
      if (!pending) return;

      const cmd = await pending.catch(() => undefined);
      await cmd?.close();
    },
  };
}

/** A TTL argument for PX / PEXPIRE: a whole number of ms, at least 1. */
function ttlArg(ttlMs: number): string {
  if (!Number.isFinite(ttlMs)) {
    throw new InvalidOptionError("ttlMs", "must be a finite number of milliseconds");
  }
  return String(Math.max(1, Math.ceil(ttlMs)));
}

const decoder = new TextDecoder();

/**
 * A reply as the string that was stored. Clients differ: node-redis may map strings to Buffers,
 * and an @upstash/redis client with automatic deserialization on turns "42" into 42 (it only does
 * so when the text round-trips exactly, so `String` restores it).
 */
export function asString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return decoder.decode(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
