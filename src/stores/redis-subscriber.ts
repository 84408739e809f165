/**
 * The subscriber connection of each client flavour: a connection of its own (a subscribed
 * connection can run nothing else), made with the library's own `duplicate()`, so it carries the
 * user's settings (TLS, password, database) without this package importing either library.
 *
 * On a Cluster, plain PUBLISH reaches the subscribers of every node, so the subscriber is one
 * ordinary connection to one master, picked at random, rather than the library's cluster-wide
 * pub/sub: that keeps the same connection events as a single server, which is what tells the
 * keeper that messages may have been missed. (Sharded pub/sub would reach only one shard.)
 */
import type { OpenSubscriber, SubscriberEvents } from "./redis-bus.js";

type ErrorListener = (error: unknown) => void;
type Listener = (...args: unknown[]) => void;

/** The parts of a node-redis client a subscriber needs. */
interface NodeRedisSubscriberLike {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: unknown) => void): Promise<unknown>;
  destroy?(): void;
  close?(): Promise<unknown>;
  duplicate(): NodeRedisSubscriberLike;
}

/** The parts of an ioredis `Redis` a subscriber needs. */
interface IoRedisSubscriberLike {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  subscribe(channel: string): Promise<unknown>;
  disconnect(): void;
  duplicate(override?: Record<string, unknown>): IoRedisSubscriberLike;
}

const LOST_EVENTS = ["end", "close", "reconnecting"] as const;

/** A subscriber for a node-redis client, or for one master of a node-redis cluster. */
export function nodeRedisSubscriber(
  base: () => Promise<unknown>,
  onError: ErrorListener,
): OpenSubscriber {
  return async (channel, events) => {
    const origin = (await base()) as NodeRedisSubscriberLike;
    const sub = origin.duplicate();
    // An `error` event with no listener would crash the process; this one stays for good.
    sub.on("error", (error) => {
      onError(error);
      events.lost();
    });
    const detach = watch(sub, events, "ready");

    // node-redis keeps trying to connect, and resubscribes before it says "ready" again.
    let closed = false;
    const subscribe = async () => {
      await sub.connect();
      await sub.subscribe(channel, (message) => events.message(String(message)));
    };
    confirm(subscribe(), detach, events, () => closed);

    return {
      close: async () => {
        closed = true;
        detach();
        sub.destroy?.();
      },
    };
  };
}

/** A subscriber for an ioredis client, or for one master of an ioredis Cluster. */
export function ioredisSubscriber(
  base: () => Promise<unknown>,
  onError: ErrorListener,
): OpenSubscriber {
  return async (channel, events) => {
    const origin = (await base()) as IoRedisSubscriberLike;
    // A subscriber of our own: it queues its SUBSCRIBE while connecting, and keeps reconnecting
    // (a Cluster's node connections are made never to reconnect, for instance).
    const sub = origin.duplicate({
      lazyConnect: false,
      enableOfflineQueue: true,
      autoResubscribe: true,
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(50 * 2 ** times, 500),
    });
    sub.on("error", (error) => {
      onError(error);
      events.lost();
    });
    const onMessage: Listener = (from, message) => {
      if (from === channel || String(from) === channel) events.message(String(message));
    };
    sub.on("message", onMessage);
    const detach = watch(sub, events, "ready");

    // The SUBSCRIBE waits in the offline queue until the connection is up.
    let closed = false;
    confirm(sub.subscribe(channel), detach, events, () => closed);

    return {
      close: async () => {
        closed = true;
        detach();
        sub.off("message", onMessage);
        sub.disconnect();
      },
    };
  };
}

/**
 * Relays the connection's lost and ready events; `ready` only once armed (after the first
 * subscription, which the opener itself confirms). Returns the function that stops relaying.
 */
function watch(
  sub: { on(event: string, l: Listener): unknown; off(event: string, l: Listener): unknown },
  events: SubscriberEvents,
  readyEvent: string,
): (() => void) & { armed: boolean } {
  const lost: Listener = () => events.lost();
  const ready: Listener = () => {
    if (stop.armed) events.ready();
  };
  for (const event of LOST_EVENTS) sub.on(event, lost);
  sub.on(readyEvent, ready);

  const stop = Object.assign(
    () => {
      for (const event of LOST_EVENTS) sub.off(event, lost);
      sub.off(readyEvent, ready);
    },
    { armed: false },
  );
  return stop;
}

/**
 * Reports the first subscription: up once it is confirmed (which also arms the later `ready`
 * events), lost if it failed. A subscriber closed meanwhile reports nothing.
 */
function confirm(
  subscribed: Promise<unknown>,
  watching: { armed: boolean },
  events: SubscriberEvents,
  isClosed: () => boolean,
): void {
  subscribed.then(
    () => {
      if (isClosed()) return;
      watching.armed = true;
      events.ready();
    },
    () => events.lost(),
  );
}

/** A random element, for spreading subscribers over a Cluster's masters. */
export function pick<T>(items: readonly T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}
