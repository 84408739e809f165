/**
 * Typed events the cache emits. Metrics exporters subscribe to these; labels derived from them
 * are low-cardinality by construction: no event carries a user id, session id or email.
 */
export type CacheKind = "session" | "profile" | "email" | "blacklist" | "watermark" | "index";

/**
 * Where a lookup was answered: "l1" is the optional in-process tier, "store" the shared store.
 * An L1 miss goes on to the store, which reports its own hit or miss; the L1's revocation state
 * (a session's blacklist entry with its user's watermark) counts as kind "blacklist".
 */
export type CacheTier = "l1" | "store";

export type CacheEvent =
  | { type: "hit"; kind: CacheKind; tier: CacheTier }
  | { type: "miss"; kind: CacheKind; tier: CacheTier }
  | { type: "fallback"; kind: CacheKind; reason: "store-down" | "miss" }
  | { type: "error"; op: string; store: string; code: string }
  | { type: "store-latency"; op: string; store: string; ms: number }
  | { type: "revoked"; reason: "blacklisted" | "user-revoked" | "unknown-session" | "store-down" }
  | { type: "breaker"; store: string; state: "closed" | "open" | "half-open" }
  | { type: "jwt"; trigger: "signIn" | "read" | "update" | "error"; outcome: string; ms: number };

export type CacheEventListener = (event: CacheEvent) => void;

/** A fan-out of listeners; a listener that throws is isolated from the cache and the others. */
export class EventHub {
  readonly #listeners = new Set<CacheEventListener>();

  on(listener: CacheEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: CacheEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken metrics sink must never break a request.
      }
    }
  }
}
