/**
 * Timeouts for many concurrent calls on one coarse, shared timer instead of one timer per call:
 * arming and clearing a timer costs more than a Redis round trip on loopback, and this path runs
 * on every request. A call may therefore fail up to one tick (a fifth of the timeout) late.
 * The timer only runs while calls are pending, and never keeps the process alive.
 */
export class Deadlines {
  readonly #timeoutMs: number;
  readonly #tickMs: number;
  readonly #pending = new Set<{ at: number; fail: () => void }>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#tickMs = Math.max(1, Math.min(50, Math.floor(timeoutMs / 5)));
  }

  /** Resolves or rejects like `promise`, or rejects once the timeout has passed. */
  run<T>(promise: Promise<T>): Promise<T> {
    if (!(this.#timeoutMs > 0)) return promise;

    return new Promise<T>((resolve, reject) => {
      const entry = {
        at: performance.now() + this.#timeoutMs,
        fail: () => reject(new Error(`timed out after ${this.#timeoutMs} ms`)),
      };
      this.#pending.add(entry);
      this.#arm();

      promise.then(
        (value) => {
          this.#pending.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.#pending.delete(entry);
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
    for (const entry of this.#pending) {
      if (entry.at > now) continue;
      this.#pending.delete(entry);
      entry.fail();
    }

    if (this.#pending.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
