import { UnstorableValueError } from "../errors.js";
import { sessionOwner } from "./bus.js";
import { type CacheContext, isFilledRecord, isPastOwnExpiry, ttlMs } from "./context.js";
import { assertId } from "./keys.js";
import type { SessionInfo, SessionStart, SessionToken } from "./types.js";

/**
 * Cached session tokens and each user's index of sessions.
 *
 * Every write of a session is conditional on the session not being blacklisted, checked by the
 * store in the same atomic step (the two keys share a slot): a sliding refresh or a recovery
 * write-back that races a sign-out can never bring the revoked session back.
 */
export class Sessions {
  readonly #ctx: CacheContext;

  constructor(ctx: CacheContext) {
    this.#ctx = ctx;
  }

  async cache(
    sessionId: string,
    token: SessionToken,
    ttl?: number,
    version?: number,
  ): Promise<boolean> {
    assertId("session id", sessionId);
    if (!isFilledRecord(token))
      throw new UnstorableValueError("$", "a session token must be a non-empty plain object");

    const { keys, codec, store, options, now } = this.#ctx;
    const key = keys.session(sessionId);
    const sealed = await codec.seal(token, version ?? now(), key);
    const ms = ttlMs(ttl, options.ttl.session, "session");

    try {
      return await store.write(key, sealed, ms, {
        unlessExists: keys.blacklist(sessionId),
        ifNewer: true,
      });
    } catch {
      return false;
    }
  }

  async get(sessionId: string): Promise<SessionToken | null> {
    assertId("session id", sessionId);
    const key = this.#ctx.keys.session(sessionId);

    try {
      const [text] = await this.#ctx.store.get([key]);
      return await this.open(text ?? null, key);
    } catch {
      this.#ctx.events.emit({ type: "fallback", kind: "session", reason: "store-down" });
      return null;
    }
  }

  /** Decodes a token read as part of a larger round trip. Empty or expired tokens are misses. */
  async open(text: string | null, key: string): Promise<SessionToken | null> {
    const opened = await this.#ctx.codec.open(text, key);
    const value = opened.state === "value" ? opened.value : null;
    const hit = isFilledRecord(value) && !isPastOwnExpiry(value, this.#ctx.now());

    this.#ctx.events.emit({ type: hit ? "hit" : "miss", kind: "session", tier: "store" });
    return hit ? (value as SessionToken) : null;
  }

  /** Forgets the cached token; `announce: false` when the caller announces the session itself. */
  async invalidate(sessionId: string, announce = true): Promise<void> {
    assertId("session id", sessionId);
    const { keys, codec, store, options, now, bus } = this.#ctx;
    await store.write(keys.session(sessionId), codec.tombstone(now()), options.ttl.session * 1000);
    if (announce) await bus.announce([sessionOwner(sessionId)]);
  }

  /** Caches the token, marks the session live until it expires, and adds it to the user's index. */
  async start(start: SessionStart, token: SessionToken): Promise<void> {
    await this.touch(start, token, start.createdAt);
  }

  /** Slides the cached token's TTL and records when the session was last seen. */
  async touch(start: SessionStart, token: SessionToken, lastSeenAt: number): Promise<void> {
    const { userId, sessionId, createdAt, expiresAt } = start;
    assertId("user id", userId);
    assertId("session id", sessionId);

    const { keys, store, now, options } = this.#ctx;
    const t = now();
    const lifeMs = Math.max(1000, expiresAt - t);
    const meta = JSON.stringify({
      c: createdAt,
      s: lastSeenAt,
      ua: (start.userAgent ?? "").slice(0, 256),
    });
    const guard = { unlessExists: keys.blacklist(sessionId) };

    await Promise.all([
      this.cache(sessionId, token, undefined, lastSeenAt),
      store.write(keys.live(sessionId), String(expiresAt), lifeMs, guard).catch(() => false),
      store
        .indexAdd(keys.index(userId), sessionId, expiresAt, meta, t, options.maxSessionsPerUser)
        .catch(() => undefined),
    ]);
  }

  /** The user's indexed sessions that have not expired, with their metadata (newest first). */
  async listIndexed(userId: string): Promise<SessionInfo[]> {
    assertId("user id", userId);
    const entries = await this.#ctx.store.indexList(this.#ctx.keys.index(userId), this.#ctx.now());

    return entries
      .map(({ member, expiresAt, meta }) => {
        const m = parseMeta(meta);
        return {
          sessionId: member,
          createdAt: m.c ?? 0,
          lastSeenAt: m.s ?? m.c ?? 0,
          expiresAt,
          userAgent: m.ua ? m.ua : null,
        };
      })
      .sort((a, b) => b.createdAt - a.createdAt);
  }
}

function parseMeta(meta: string | null): { c?: number; s?: number; ua?: string } {
  if (!meta) return {};
  try {
    const value = JSON.parse(meta) as { c?: unknown; s?: unknown; ua?: unknown };
    return {
      c: typeof value.c === "number" ? value.c : undefined,
      s: typeof value.s === "number" ? value.s : undefined,
      ua: typeof value.ua === "string" ? value.ua : undefined,
    };
  } catch {
    return {};
  }
}
