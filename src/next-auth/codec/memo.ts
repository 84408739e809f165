/**
 * Recently decoded session cookies, so that the requests of one page load (middleware, server
 * components, route handlers all reading the same cookie) decrypt it once.
 *
 * Keys are a SHA-256 digest of the cookie, never the cookie itself. An entry remembers the claims
 * as JSON text and hands out a fresh object on every hit, since Auth.js' callbacks mutate the
 * token they get. It records which salt and secret opened the cookie, so a cookie is never served
 * under another cookie name or after its secret was rotated out, and it expires with the token's
 * own `exp` (without the 15 s tolerance a fresh decode grants). Least recently used entries go
 * first once `maxEntries` is reached.
 */

export interface MemoEntry {
  /** The claims' JSON text. */
  json: string;
  /** The token's `exp` in ms: the entry is gone from that instant on. */
  expiresAtMs: number;
  salt: string;
  /** The identity of the secret that opened the token. */
  secret: string;
  /** The token names no key, so Auth.js only ever tries the first secret on it. */
  firstSecretOnly: boolean;
}

export class DecodeMemo {
  private readonly entries = new Map<string, MemoEntry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The claims' JSON for `digest`, when remembered, unexpired and valid for these settings. */
  get(digest: string, salt: string, secrets: readonly string[]): string | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;

    if (this.now() >= entry.expiresAtMs) {
      this.entries.delete(digest);
      return undefined;
    }
    const opens = entry.firstSecretOnly
      ? secrets[0] === entry.secret
      : secrets.includes(entry.secret);
    if (entry.salt !== salt || !opens) return undefined;

    // Refresh its place in the recency order.
    this.entries.delete(digest);
    this.entries.set(digest, entry);
    return entry.json;
  }

  set(digest: string, entry: MemoEntry): void {
    if (this.now() >= entry.expiresAtMs) return;

    this.entries.delete(digest);
    this.dropExpiredHead();
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(digest, entry);
  }

  /**
   * Tokens of one app share a max age, so insertion order is close to expiry order: dropping
   * expired entries from the old end keeps dead claims from lingering in memory.
   */
  private dropExpiredHead(): void {
    const now = this.now();
    for (const [digest, entry] of this.entries) {
      if (now < entry.expiresAtMs) return;
      this.entries.delete(digest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
