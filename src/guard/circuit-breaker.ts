/**
 * A circuit breaker for one store. Closed, it lets calls through and counts consecutive failures;
 * at `threshold` it opens and calls fail at once, so a dead store costs no latency per request.
 * After `cooldownMs` it turns half-open and lets a single probe through: success closes it,
 * failure opens it again for another cooldown.
 */
export type BreakerState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. @default 5 */
  threshold?: number;
  /**
   * How long it stays open before a probe. Short, because a probe is cheap (one call, which
   * fails at once while the client is offline) and it bounds how long the app keeps bypassing
   * a store that is already back. @default 500
   */
  cooldownMs?: number;
  /** A monotonic clock in ms: a wall clock stepped back would hold the breaker open. */
  now?: () => number;
  onChange?: (state: BreakerState) => void;
}

export class CircuitBreaker {
  #state: BreakerState = "closed";
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #onChange: (state: BreakerState) => void;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.threshold ?? 5;
    this.#cooldownMs = options.cooldownMs ?? 500;
    this.#now = options.now ?? (() => performance.now());
    this.#onChange = options.onChange ?? (() => {});
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a call may go out now. In half-open, only the one probe may. */
  allow(): boolean {
    if (this.#state === "closed") return true;

    if (this.#state === "open" && this.#now() - this.#openedAt >= this.#cooldownMs) {
      this.#set("half-open");
    }
    if (this.#state === "half-open" && !this.#probing) {
      this.#probing = true;
      return true;
    }
    return false;
  }

  /**
   * The call ended without telling anything about the store (the caller misused it before it
   * was asked): a probe slot it held is released, and the failure count is left as it was.
   */
  cancel(): void {
    this.#probing = false;
  }

  success(): void {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== "closed") this.#set("closed");
  }

  failure(): void {
    // A call sent before the breaker opened and failing late says nothing new: it must not push
    // the next probe further away, or a burst of stragglers would keep the store shut out.
    if (this.#state === "open") return;

    this.#failures += 1;
    this.#probing = false;

    if (this.#state === "half-open" || this.#failures >= this.#threshold) {
      this.#openedAt = this.#now();
      this.#set("open");
    }
  }

  #set(state: BreakerState): void {
    this.#state = state;
    this.#onChange(state);
  }
}
