/**
 * Collapses concurrent loads of the same key into one: every caller waiting on a key gets the same
 * settled result, and the next call after it settles starts afresh (a failure is not remembered).
 */
export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running) return running;

    const promise = Promise.resolve()
      .then(load)
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
