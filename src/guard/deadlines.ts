/**
 * Timeouts for many concurrent calls on one coarse, shared timer instead of one timer per call:
 * arming and clearing a timer costs more than a Redis round trip on loopback, and this path runs
 * on every request. A call may therefore fail up to one tick (a fifth of the timeout) late.
 * The timer only runs while calls are pending, and never keeps the process alive.
 *
 * A call that timed out is only abandoned by its caller: the client may still hold it (a
 * command written to a frozen server stays in the client's reply queue until the server answers
 * or the connection drops). `abandoned` counts those, so the guard can stop adding to a backlog
 * that is not draining.
 */
export class Deadlines {
  readonly #timeoutMs: number;
  readonly #tickMs: number;
  readonly #pending = new Set<{ at: number; reject: (error: Error) => void }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #abandoned = 0;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#tickMs = Math.max(1, Math.min(50, Math.floor(timeoutMs / 5)));
  }

  /** Calls that timed out and whose underlying promise has not settled yet. */
  get abandoned(): number {
    return this.#abandoned;
  }

  /** Resolves or rejects like `promise`, or rejects once the timeout has passed. */
  run<T>(promise: Promise<T>): Promise<T> {
    if (!(this.#timeoutMs > 0)) return promise;

    return new Promise<T>((resolve, reject) => {
      // The entry holds `reject` itself rather than a closure over it: one allocation less on
      // a path every request takes.
      const entry = { at: performance.now() + this.#timeoutMs, reject };
      this.#pending.add(entry);
      this.#arm();

      // Both branches always handle the late promise, so a call that fails after its timeout
      // never surfaces as an unhandled rejection. An entry the tick already removed timed out.
      promise.then(
        (value) => {
          if (!this.#pending.delete(entry)) this.#abandoned -= 1;
          resolve(value);
        },
        (error: unknown) => {
          if (!this.#pending.delete(entry)) this.#abandoned -= 1;
          reject(error);
        },
      );
    });
  }

  #arm(): void {
    if (this.#timer !== undefined) return;

    this.#timer = setInterval(() => this.#tick(), this.#tickMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #tick(): void {
    const now = performance.now();
    // Every call gets the same timeout, so insertion order is deadline order: the walk stops at
    // the first call still in time instead of visiting every pending one on every tick.
    for (const entry of this.#pending) {
      if (entry.at > now) break;
      this.#pending.delete(entry);
      this.#abandoned += 1;
      entry.reject(new Error(`timed out after ${this.#timeoutMs} ms`));
    }

    if (this.#pending.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
