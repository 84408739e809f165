/**
 * Revocations the store could not acknowledge, kept in this process until it does.
 *
 * A sign-out during a store outage must not be lost once the outage ends: the copy of the cookie
 * someone kept would be accepted again, for good. So a revocation that failed is remembered here,
 * honoured by this instance's checks at once, and written again with backoff until the store
 * takes it. Other instances learn of it only when that write lands: an outage is exactly when
 * they cannot be told. The list is bounded; past the bound the oldest entry is given up, with a
 * warning, rather than letting an outage grow memory without limit.
 */
export interface PendingRevocation {
  /** Writes the revocation to the store; rejects while the store is down. */
  write(): Promise<void>;
  /** For a session: revoked outright. For a user: the watermark to compare with. */
  kind: "session" | "user";
  watermark: number;
  /** For a user: the one session the revocation spares. */
  except?: string | undefined;
}

export interface PendingRevocationsOptions {
  maxEntries?: number;
  onGiveUp?: (kind: "session" | "user") => void;
  onWritten?: (id: string, kind: "session" | "user") => void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

export class PendingRevocations {
  readonly #entries = new Map<string, PendingRevocation>();
  readonly #max: number;
  readonly #options: PendingRevocationsOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #delay = FIRST_RETRY_MS;
  #flushing = false;

  constructor(options: PendingRevocationsOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Remembers a failed revocation and schedules its next attempt. */
  add(id: string, revocation: PendingRevocation): void {
    const key = `${revocation.kind}:${id}`;
    const known = this.#entries.get(key);
    const watermark = Math.max(known?.watermark ?? 0, revocation.watermark);
    this.#entries.delete(key);
    this.#entries.set(key, { ...revocation, watermark });

    while (this.#entries.size > this.#max) {
      const [oldest, entry] = this.#entries.entries().next().value ?? [];
      if (oldest === undefined || entry === undefined) break;
      this.#entries.delete(oldest);
      this.#options.onGiveUp?.(entry.kind);
    }
    this.#schedule();
  }

  /** Forgets an entry whose revocation reached the store by another path. */
  settle(id: string, kind: "session" | "user"): void {
    this.#entries.delete(`${kind}:${id}`);
  }

  isSessionRevoked(sessionId: string): boolean {
    return this.#entries.has(`session:${sessionId}`);
  }

  /** The user's pending watermark (0 when none) and the session it spares. */
  user(userId: string): { watermark: number; except: string | undefined } {
    const entry = this.#entries.get(`user:${userId}`);
    return { watermark: entry?.watermark ?? 0, except: entry?.except };
  }

  /** Tries every pending write once; resolves when the round is over. */
  async flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    let failed = false;

    try {
      for (const [key, entry] of [...this.#entries]) {
        try {
          await entry.write();
          if (this.#entries.get(key) === entry) this.#entries.delete(key);
          this.#options.onWritten?.(key.slice(key.indexOf(":") + 1), entry.kind);
        } catch {
          // Still down: the rest would fail alike, and the next round comes with backoff.
          failed = true;
          break;
        }
      }
    } finally {
      this.#flushing = false;
    }

    this.#delay = failed ? Math.min(this.#delay * 2, MAX_RETRY_MS) : FIRST_RETRY_MS;
    if (this.#entries.size > 0) this.#schedule();
  }

  /** Stops retrying (the cache is closing); what is pending is given up. */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;

    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#delay);
    (this.#timer as { unref?: () => void }).unref?.();
  }
}
