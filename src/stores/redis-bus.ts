/**
 * Keeps one pub/sub subscription alive and says, truthfully, when messages may have been missed.
 *
 * Client libraries report a dropped connection, and both resubscribe after a reconnect, but
 * they do not all say when the new subscription is in place (ioredis sends its SUBSCRIBE after
 * announcing "ready"), and a Cluster may move the subscription to another node without a word.
 * So "up" is never taken from an event: after every (re)connection the keeper publishes a probe
 * on the channel itself and reports `up` only once that probe came back on the subscriber. From
 * then on, any message published later reaches it. Anything that may lose messages (an error,
 * a close, a reconnect attempt) reports `down` at once.
 *
 * Probes start with `~`, which no invalidation does; every keeper ignores other keepers' probes.
 */
import type { BusListener } from "./types.js";

/** What a subscriber connection tells the keeper, whatever its library. */
export interface SubscriberEvents {
  message(message: string): void;
  /** The connection failed or closed: messages may be lost until the next `ready`. */
  lost(): void;
  /** The connection is back (and resubscribing, or resubscribed). */
  ready(): void;
}

export interface SubscriberConnection {
  close(): Promise<void>;
}

/**
 * Opens a connection that subscribes to `channel` in the background, calling `ready` once the
 * server confirmed the subscription and again after every reconnection. Resolves as soon as the
 * connection exists (not when it is connected), so that it can always be closed.
 */
export type OpenSubscriber = (
  channel: string,
  events: SubscriberEvents,
) => Promise<SubscriberConnection>;

export interface KeepOptions {
  channel: string;
  listener: BusListener;
  open: OpenSubscriber;
  /** Publishes on the ordinary (command) connection. */
  publish(channel: string, message: string): Promise<void>;
}

const PROBE = "~";
/** Probe again after this long without an answer, doubling up to `MAX_RETRY_MS`. */
const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 1_000;
/**
 * A subscription down this long is rebuilt from scratch: on a Cluster, a node that left for
 * good is never coming back, and a fresh connection picks another.
 */
const REOPEN_AFTER_MS = 5_000;
/** Finding a node to subscribe on (a Cluster still connecting) may take no longer than this. */
const OPEN_TIMEOUT_MS = 5_000;

export function keepSubscription(options: KeepOptions): () => Promise<void> {
  const { channel, listener } = options;
  const nonce = randomHex();

  let closed = false;
  let up = false;
  let attempt = 0;
  let downSince = performance.now();
  let retryMs = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let connection: SubscriberConnection | undefined;
  let opening: Promise<void> | undefined;

  const probeText = () => `${PROBE}${nonce}.${attempt}`;

  const goDown = () => {
    attempt += 1;
    if (!up) return;
    up = false;
    downSince = performance.now();
    listener.down();
  };

  const schedule = (ms: number) => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    (timer as { unref?: () => void }).unref?.();
  };

  const probe = () => {
    retryMs = FIRST_RETRY_MS;
    void options.publish(channel, probeText()).catch(() => undefined);
    schedule(retryMs);
  };

  // While down: probe, back off, and after long enough rebuild the connection.
  function tick() {
    if (closed || up) return;
    if (!connection) {
      if (opening) schedule(MAX_RETRY_MS);
      else open();
      return;
    }
    if (performance.now() - downSince > REOPEN_AFTER_MS) {
      const stale = connection;
      connection = undefined;
      downSince = performance.now();
      void stale.close().catch(() => undefined);
      open();
      return;
    }
    void options.publish(channel, probeText()).catch(() => undefined);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    schedule(retryMs);
  }

  const events: SubscriberEvents = {
    message(message) {
      if (closed) return;
      if (!message.startsWith(PROBE)) {
        listener.message(message);
        return;
      }
      if (up || message !== probeText()) return;
      up = true;
      clearTimeout(timer);
      listener.up();
    },
    lost() {
      if (closed) return;
      goDown();
      // Keep an eye on it even if it never says "ready" again (see REOPEN_AFTER_MS).
      retryMs = MAX_RETRY_MS;
      schedule(retryMs);
    },
    ready() {
      if (closed) return;
      goDown();
      probe();
    },
  };

  function open() {
    if (opening || closed) return;
    let abandoned = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;

    const attempt = options.open(channel, events).then(async (opened) => {
      // Closed meanwhile, or given up on: a connection nobody will use is closed at once.
      if (closed || abandoned) await opened.close().catch(() => undefined);
      else connection = opened;
    });
    const timeout = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new Error("subscriber open timed out")), OPEN_TIMEOUT_MS);
      (deadline as { unref?: () => void }).unref?.();
    });

    opening = Promise.race([attempt, timeout])
      .catch(() => {
        // Refused, unreachable or too slow: stay down and try again later.
        abandoned = true;
        schedule(MAX_RETRY_MS);
      })
      .finally(() => {
        clearTimeout(deadline);
        opening = undefined;
      });
  }

  open();

  return async () => {
    closed = true;
    clearTimeout(timer);
    const current = connection;
    connection = undefined;
    await current?.close().catch(() => undefined);
  };
}

function randomHex(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
