import type { EventHub } from "../cache/events.js";
import { AuthCacheError, StoreUnavailableError } from "../errors.js";
import { createRateLimitedLog, type Logger } from "../logger.js";
import type { Store } from "../stores/types.js";
import { type BreakerState, CircuitBreaker } from "./circuit-breaker.js";
import { Deadlines } from "./deadlines.js";
import { errorCode } from "./error-code.js";

/**
 * Every store call goes through here: a timeout, the circuit breaker, an error event and a
 * rate-limited log line. A failed call rejects with `StoreUnavailableError`; callers decide
 * what that means for their operation (fall back to the loader, allow or deny).
 */
export interface GuardOptions {
  /** Milliseconds a call may take; 0 turns the timeout off. */
  timeoutMs: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
  logger: Logger;
  events: EventHub;
  /** A monotonic clock in ms, for tests. @default performance.now */
  now?: () => number;
}

export interface GuardedStore extends Store {
  readonly breakerState: BreakerState;
  /** The wrapped store, for callers that must bypass the breaker (the health check). */
  readonly inner: Store;
}

/**
 * Default timeouts by store. A TCP store on the same network answers in well under a
 * millisecond, so 250 ms only ever trips on a real fault. A REST store pays HTTPS per call, a new
 * TLS handshake now and then, and often a trip to another region: 500 ms. Memory needs none.
 */
const DEFAULT_TIMEOUT_MS: Record<string, number> = { memory: 0, redis: 250, upstash: 500 };

export function defaultTimeoutMs(kind: string): number {
  return DEFAULT_TIMEOUT_MS[kind] ?? 250;
}

/**
 * Calls that timed out but that the client still holds, beyond which the guard sends no more.
 * A frozen server or a silent network keeps every command written to it until the connection
 * drops; the breaker already stops most of them, and this caps what a store that never quite
 * fails (some calls late, some in time) could pile up in the client.
 */
const MAX_ABANDONED = 1000;

/** Misuse by the caller (a bad id, option or value): it says nothing about the store's health. */
const CALLER_MISTAKES = new Set(["E_INVALID_ID", "E_INVALID_OPTION", "E_UNSTORABLE_VALUE"]);

type Op = Exclude<keyof Store, "kind">;

export function guardStore(store: Store, options: GuardOptions): GuardedStore {
  const now = options.now ?? (() => performance.now());
  const { events, logger } = options;
  const kind = store.kind;
  const log = createRateLimitedLog(logger, 10_000, now);

  // What the outage lines report: why the store went down, for how long, and how many calls
  // fell back meanwhile. Logged once when it opens and once when it closes, not per call.
  let lastFailure = { op: "", code: "" };
  let down = false;
  let downSince = 0;
  let failedWhileDown = 0;

  const breaker = new CircuitBreaker({
    threshold: options.breakerThreshold,
    cooldownMs: options.breakerCooldownMs,
    now,
    onChange(state) {
      events.emit({ type: "breaker", store: kind, state });

      if (state === "closed") {
        down = false;
        const downMs = Math.round(now() - downSince);
        logger.info({ store: kind, downMs, failed: failedWhileDown }, "store available again");
      } else if (state === "open" && !down) {
        down = true;
        downSince = now();
        failedWhileDown = 0;
        logger.warn({ store: kind, ...lastFailure }, "store unavailable, serving fallbacks");
      } else {
        // Probes that find the store still down: every cooldown, so never above debug.
        logger.debug({ store: kind, state, ...lastFailure }, "store breaker probing");
      }
    },
  });

  const deadlines = new Deadlines(options.timeoutMs);

  const fail = (op: Op, error: unknown): StoreUnavailableError => {
    const code = errorCode(error);
    lastFailure = { op, code };
    if (!down) {
      // Failures that do not (yet) open the breaker: sporadic timeouts, one bad reply. One line
      // per interval at most, with the count held back; an outage has its own line.
      log("warn", "call-failed", { store: kind, op, code }, "store call failed");
    }
    breaker.failure();
    if (down) failedWhileDown += 1;
    events.emit({ type: "error", op, store: kind, code });
    return new StoreUnavailableError(kind, op, error);
  };

  let missingSaidAt = Number.NEGATIVE_INFINITY;
  const missingDependency = (error: AuthCacheError) => {
    if (performance.now() - missingSaidAt < 60_000) return;
    missingSaidAt = performance.now();
    options.logger.error({ store: kind, pkg: error.context.pkg }, error.message);
  };

  async function call<T>(op: Op, run: () => Promise<T>): Promise<T> {
    if (!breaker.allow()) {
      failedWhileDown += 1;
      throw new StoreUnavailableError(kind, op);
    }
    if (deadlines.abandoned >= MAX_ABANDONED) throw fail(op, new BacklogError());

    const started = performance.now();
    try {
      const result = await deadlines.run(run());
      breaker.success();
      events.emit({ type: "store-latency", op, store: kind, ms: performance.now() - started });
      return result;
    } catch (error) {
      if (error instanceof AuthCacheError && CALLER_MISTAKES.has(error.code)) {
        breaker.cancel();
        throw error;
      }
      // A client package that is not installed is a deployment mistake, not an outage: it is
      // still served by the fallbacks, but said loudly, once in a while, with what to install.
      if (error instanceof AuthCacheError && error.code === "E_MISSING_DEPENDENCY") {
        missingDependency(error);
      }
      throw fail(op, error);
    }
  }

  return {
    kind,
    inner: store,
    get breakerState() {
      return breaker.state;
    },
    get: (keys) => call("get", () => store.get(keys)),
    write: (key, value, ttlMs, condition) =>
      call("write", () => store.write(key, value, ttlMs, condition)),
    extend: (key, value, ttlMs) => call("extend", () => store.extend(key, value, ttlMs)),
    raise: (key, n, ttlMs) => call("raise", () => store.raise(key, n, ttlMs)),
    del: (keys) => call("del", () => store.del(keys)),
    ttl: (key) => call("ttl", () => store.ttl(key)),
    indexAdd: (index, member, expiresAt, meta, nowMs, limit) =>
      call("indexAdd", () => store.indexAdd(index, member, expiresAt, meta, nowMs, limit)),
    indexList: (index, nowMs) => call("indexList", () => store.indexList(index, nowMs)),
    indexRemove: (index, members) => call("indexRemove", () => store.indexRemove(index, members)),
    ping: () => call("ping", () => store.ping()),
    close: () => store.close(),
    // A publish is a store call like any other: bounded, counted, skipped while the store is
    // down. A subscription is long-lived and reports its own health, so it passes straight on.
    publish: store.publish
      ? (channel, message) => call("publish", () => store.publish!(channel, message))
      : undefined,
    subscribe: store.subscribe
      ? (channel, listener) => store.subscribe!(channel, listener)
      : undefined,
  };
}

/** The store has left too many calls unanswered past their timeout to be sent more. */
class BacklogError extends Error {
  readonly code = "BACKLOG";

  constructor() {
    super("too many store calls left unanswered");
    this.name = "BacklogError";
  }
}
