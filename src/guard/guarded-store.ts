import type { EventHub } from "../cache/events.js";
import { StoreUnavailableError } from "../errors.js";
import { createRateLimitedLog, type Logger } from "../logger.js";
import type { Store } from "../stores/types.js";
import { type BreakerState, CircuitBreaker } from "./circuit-breaker.js";
import { Deadlines } from "./deadlines.js";

/**
 * Every store call goes through here: a timeout, the circuit breaker, an error event and a
 * rate-limited log line. A failed call rejects with `StoreUnavailableError`; callers decide
 * what that means for their operation (fall back to the loader, allow or deny).
 */
export interface GuardOptions {
  timeoutMs: number;
  breakerThreshold?: number;
  breakerCooldownMs?: number;
  logger: Logger;
  events: EventHub;
  now?: () => number;
}

export interface GuardedStore extends Store {
  readonly breakerState: BreakerState;
  /** The wrapped store, for callers that must bypass the breaker (the health check). */
  readonly inner: Store;
}

type Op = Exclude<keyof Store, "kind">;

export function guardStore(store: Store, options: GuardOptions): GuardedStore {
  const log = createRateLimitedLog(options.logger, 10_000, options.now);
  const breaker = new CircuitBreaker({
    threshold: options.breakerThreshold,
    cooldownMs: options.breakerCooldownMs,
    now: options.now,
    onChange(state) {
      options.events.emit({ type: "breaker", store: store.kind, state });
      const level = state === "open" ? "warn" : "info";
      options.logger[level]({ store: store.kind, state }, "store circuit breaker changed state");
    },
  });

  const deadlines = new Deadlines(options.timeoutMs);

  async function call<T>(op: Op, run: () => Promise<T>): Promise<T> {
    if (!breaker.allow()) throw new StoreUnavailableError(store.kind, op);

    const started = performance.now();
    try {
      const result = await deadlines.run(run());
      breaker.success();
      options.events.emit({
        type: "store-latency",
        op,
        store: store.kind,
        ms: performance.now() - started,
      });
      return result;
    } catch (error) {
      breaker.failure();
      const code = errorCode(error);
      options.events.emit({ type: "error", op, store: store.kind, code });
      log("warn", `${op}:${code}`, { op, store: store.kind, code }, "store call failed");
      throw new StoreUnavailableError(store.kind, op, error);
    }
  }

  return {
    kind: store.kind,
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
    indexAdd: (index, member, expiresAt, meta, nowMs) =>
      call("indexAdd", () => store.indexAdd(index, member, expiresAt, meta, nowMs)),
    indexList: (index, nowMs) => call("indexList", () => store.indexList(index, nowMs)),
    indexRemove: (index, members) => call("indexRemove", () => store.indexRemove(index, members)),
    ping: () => call("ping", () => store.ping()),
    close: () => store.close(),
  };
}

function errorCode(error: unknown): string {
  if (error instanceof Error) {
    if (error.message.startsWith("timed out")) return "timeout";
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z0-9_]{1,32}$/.test(code)) return code;
    return error.name.slice(0, 40) || "Error";
  }
  return "unknown";
}
