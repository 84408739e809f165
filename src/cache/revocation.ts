import { InvalidOptionError } from "../errors.js";
import { sessionOwner, userOwner } from "./bus.js";
import { type CacheContext, isFilledRecord } from "./context.js";
import { assertId } from "./keys.js";
import type { L1Ticket } from "./l1.js";
import { PendingRevocations } from "./pending-revocations.js";
import type { Profiles } from "./profiles.js";
import type { Sessions } from "./sessions.js";
import type { BlacklistOptions, Profile, SessionCheck, SessionInfo } from "./types.js";

/**
 * What the L1 keeps of a check that found the session not revoked: the raw values the store
 * gave for the session's blacklist, live and keep entries and its user's watermark and profile,
 * all from one read, so an answer never mixes a fresh watermark with a stale exemption.
 */
interface KeptCheck {
  userId: string;
  values: readonly [null, string | null, string | null, string | null, string | null];
}

/**
 * Revocation: one session (a blacklist entry), or every session of a user (a watermark: sessions
 * that started before it are revoked). Writes here throw `StoreUnavailableError` when the store
 * cannot acknowledge them, because a revocation that silently did not happen is worse than an
 * error the app can show.
 *
 * A blacklist entry lives as long as any copy of the session's token could still be accepted.
 * Auth.js re-issues the cookie on every read with a fresh `exp`, so a copy taken earlier expires
 * sooner, but a copy someone keeps refreshing does not: the entry therefore lives at least the
 * session's max age from the moment of revocation, and never less than the token's own `exp`.
 * A fixed 24-hour entry would let a 30-day token come back on its second day. On top of that
 * comes a grace period: Auth.js accepts a token for 15 s past its `exp`, a request in flight when
 * the revocation lands may still issue a fresh cookie, and servers' clocks differ a little.
 *
 * A revocation the store cannot take is not forgotten: this instance honours it at once and
 * keeps writing it until the store acknowledges it (see `PendingRevocations`).
 */
export const REVOCATION_GRACE_MS = 5 * 60_000;

export class Revocation {
  readonly #ctx: CacheContext;
  readonly #sessions: Sessions;
  readonly #profiles: Profiles;
  readonly #pending: PendingRevocations;

  constructor(ctx: CacheContext, sessions: Sessions, profiles: Profiles) {
    this.#ctx = ctx;
    this.#sessions = sessions;
    this.#profiles = profiles;
    this.#pending = new PendingRevocations({
      onGiveUp: (kind) =>
        ctx.logger.error({ kind }, "too many revocations waiting for the store; oldest given up"),
      onWritten: (id, kind) => {
        ctx.logger.info({ kind }, "revocation written after the store came back");
        void ctx.bus
          .announce([kind === "session" ? sessionOwner(id) : userOwner(id)])
          .catch(() => undefined);
      },
    });
  }

  /** Revocations this instance holds until the store acknowledges them. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  stop(): void {
    this.#pending.stop();
  }

  async blacklist(sessionId: string, options: number | BlacklistOptions = {}): Promise<void> {
    assertId("session id", sessionId);
    const opts = typeof options === "number" ? { ttl: options } : options;
    if (opts.ttl !== undefined && !(Number.isFinite(opts.ttl) && opts.ttl > 0)) {
      throw new InvalidOptionError("ttl", "expected a positive, finite number of seconds");
    }
    if (opts.expiresAt !== undefined && !Number.isFinite(opts.expiresAt)) {
      throw new InvalidOptionError("expiresAt", "expected a time in ms since the epoch");
    }
    if (opts.userId !== undefined) assertId("user id", opts.userId);

    const { keys, store, options: o, now, events } = this.#ctx;
    const t = now();
    const untilExpiry = (opts.expiresAt ?? 0) - t;
    const until = t + Math.max((opts.ttl ?? 0) * 1000, untilExpiry, o.ttl.maxAge * 1000);
    const write = () =>
      store.extend(
        keys.blacklist(sessionId),
        String(t),
        Math.ceil(until + REVOCATION_GRACE_MS - now()),
      );

    try {
      await write();
    } catch (error) {
      this.#pending.add(sessionId, { kind: "session", watermark: t, write });
      events.emit({ type: "revoked", reason: "blacklisted" });
      throw error;
    }
    this.#pending.settle(sessionId, "session");
    events.emit({ type: "revoked", reason: "blacklisted" });

    // The entry is acknowledged: every instance's L1 is told (this one before the call returns);
    // what follows only tidies up, and may fail without harm.
    await Promise.all([
      this.#ctx.bus.announce([sessionOwner(sessionId)]),
      this.#sessions.invalidate(sessionId, false).catch(() => undefined),
      opts.userId === undefined
        ? undefined
        : store.indexRemove(keys.index(opts.userId), [sessionId]).catch(() => undefined),
    ]);
  }

  async isBlacklisted(sessionId: string): Promise<boolean> {
    assertId("session id", sessionId);
    if (this.#pending.isSessionRevoked(sessionId)) return true;
    try {
      const [entry] = await this.#ctx.store.get([this.#ctx.keys.blacklist(sessionId)]);
      return entry !== null && entry !== undefined;
    } catch {
      return this.#ctx.options.onStoreDown === "deny";
    }
  }

  async revokeUser(userId: string, options: { except?: string } = {}): Promise<number> {
    assertId("user id", userId);
    if (options.except !== undefined) assertId("session id", options.except);
    const { keys, store, options: o, now, events } = this.#ctx;
    const watermark = now();
    const until = watermark + o.ttl.maxAge * 1000 + REVOCATION_GRACE_MS;
    const except = options.except;
    const write = async () => {
      const ms = Math.ceil(until - now());
      if (except !== undefined) await store.extend(keys.keep(except), String(watermark), ms);
      await store.raise(keys.watermark(userId), watermark, ms);
    };

    try {
      await write();
    } catch (error) {
      this.#pending.add(userId, { kind: "user", watermark, write, except });
      events.emit({ type: "revoked", reason: "user-revoked" });
      throw error;
    }
    this.#pending.settle(userId, "user");
    events.emit({ type: "revoked", reason: "user-revoked" });

    // The kept session and the watermark travel in one message: an instance that dropped the
    // watermark but still held the old exemption would sign the kept session out.
    const owners = [userOwner(userId)];
    if (options.except !== undefined) owners.push(sessionOwner(options.except));
    await this.#ctx.bus.announce(owners);
    return watermark;
  }

  /**
   * One round trip: the session's blacklist, live and keep entries (one slot), the user's
   * watermark and profile (another), and the cached token when asked. Never throws. With the L1
   * tier, a session found not revoked is answered from memory until something changes it.
   */
  async check(input: {
    sessionId: string;
    userId: string;
    issuedAt: number;
    withSession?: boolean;
  }): Promise<SessionCheck> {
    const { keys, store, options, events, l1, loadUser } = this.#ctx;
    const { sessionId, userId, issuedAt } = input;
    assertId("session id", sessionId);
    assertId("user id", userId);

    // A revocation this instance could not store yet still holds here, whatever the store says.
    const pending = this.#pendingReason(sessionId, userId, issuedAt);
    if (pending) {
      events.emit({ type: "revoked", reason: pending });
      return { revoked: true, reason: pending, storeDown: false, profile: null, session: null };
    }

    const readSession = input.withSession === true;
    const l1Key = `c:${sessionId}`;
    let ticket: L1Ticket | undefined;
    if (l1 && !readSession) {
      const kept = l1.get<KeptCheck>(l1Key);
      const answer = kept?.userId === userId ? await this.#fromL1(kept, issuedAt) : undefined;
      if (answer) return answer;

      ticket = l1.ticket();
      if (ticket) {
        events.emit({ type: "miss", kind: "blacklist", tier: "l1" });
        if (!kept) events.emit({ type: "miss", kind: "profile", tier: "l1" });
      }
    }

    const wanted = [
      keys.blacklist(sessionId),
      keys.live(sessionId),
      keys.keep(sessionId),
      keys.watermark(userId),
      keys.profile(userId),
    ];
    if (readSession) wanted.push(keys.session(sessionId));

    let values: (string | null)[] | undefined;
    try {
      values = await store.get(wanted);
    } catch {
      values = undefined;
    }

    // The store could not answer: the policy decides, but a watermark the app persisted in its
    // own database (returned by loadUser as `revokedBefore`) still holds.
    if (values === undefined) {
      const profile = await this.#load(userId, "store-down");
      const persisted = issuedAt < toNumber(profile?.revokedBefore);
      const revoked = options.onStoreDown === "deny" || persisted;
      const reason = persisted ? "user-revoked" : revoked ? "store-down" : null;
      if (reason) events.emit({ type: "revoked", reason });
      return { revoked, reason, storeDown: true, profile, session: null };
    }

    const [bl, live = null, keep = null, wm = null, profileText = null, sessionText] = values;
    let profile = await this.#profiles.open(profileText, keys.profile(userId));
    const profileFound = profile !== null;
    const session = readSession
      ? await this.#sessions.open(sessionText ?? null, keys.session(sessionId))
      : null;

    let reason: SessionCheck["reason"] = null;
    if (bl !== null && bl !== undefined) reason = "blacklisted";
    else if (options.strict && live === null) reason = "unknown-session";

    if (reason === null && profile === null) profile = await this.#load(userId, "miss");
    if (reason === null && underWatermark(issuedAt, keep, wm, profile)) reason = "user-revoked";

    if (reason) {
      events.emit({ type: "revoked", reason });
    } else if (ticket && (profileFound || !loadUser)) {
      // Only "not revoked" is kept, and only with the profile it came with: a profile still to
      // be loaded would send every hit back to `loadUser`.
      const kept: KeptCheck = { userId, values: [null, live, keep, wm, profileText] };
      l1?.set(l1Key, kept, [sessionOwner(sessionId), userOwner(userId)], ticket);
    }
    return { revoked: reason !== null, reason, storeDown: false, profile, session };
  }

  /** The answer from a kept check, or `undefined` when the store must be asked after all. */
  async #fromL1(kept: KeptCheck, issuedAt: number): Promise<SessionCheck | undefined> {
    const { keys, events, options } = this.#ctx;
    const [, live, keep, wm, profileText] = kept.values;

    const profile = await this.#profiles.open(profileText, keys.profile(kept.userId), "l1");
    // A kept profile that has passed its own expiry is a miss like any other.
    if (profileText !== null && profile === null) return undefined;
    events.emit({ type: "hit", kind: "blacklist", tier: "l1" });

    let reason: SessionCheck["reason"] = null;
    if (options.strict && live === null) reason = "unknown-session";
    else if (underWatermark(issuedAt, keep, wm, profile)) reason = "user-revoked";

    if (reason) events.emit({ type: "revoked", reason });
    return { revoked: reason !== null, reason, storeDown: false, profile, session: null };
  }

  #pendingReason(sessionId: string, userId: string, issuedAt: number): SessionCheck["reason"] {
    if (this.#pending.size === 0) return null;
    if (this.#pending.isSessionRevoked(sessionId)) return "blacklisted";

    const { watermark, except } = this.#pending.user(userId);
    return issuedAt < watermark && except !== sessionId ? "user-revoked" : null;
  }

  async #load(userId: string, why: "miss" | "store-down") {
    try {
      return await this.#profiles.load(userId, why);
    } catch {
      return null;
    }
  }

  /** The user's live sessions: indexed, not expired, not blacklisted, not under the watermark. */
  async list(userId: string): Promise<SessionInfo[]> {
    const { keys, store } = this.#ctx;
    const indexed = await this.#sessions.listIndexed(userId);
    if (indexed.length === 0) return [];

    const sessionKeys = indexed.flatMap((s) => [
      keys.blacklist(s.sessionId),
      keys.keep(s.sessionId),
    ]);
    const [wm, profileText, ...states] = await store.get([
      keys.watermark(userId),
      keys.profile(userId),
      ...sessionKeys,
    ]);
    // Opened without counting a hit or a miss: listing devices is not a profile read.
    const opened = await this.#ctx.codec.open(profileText ?? null, keys.profile(userId));
    const profile = opened.state === "value" && isFilledRecord(opened.value) ? opened.value : null;

    return indexed.filter((s, i) => {
      if (this.#pendingReason(s.sessionId, userId, s.createdAt)) return false;
      const bl = states[i * 2];
      const keep = states[i * 2 + 1] ?? null;
      return (
        (bl === null || bl === undefined) && !underWatermark(s.createdAt, keep, wm ?? null, profile)
      );
    });
  }
}

/** Whether a session issued at `issuedAt` started before its user's watermark, unexempted. */
function underWatermark(
  issuedAt: number,
  keep: string | null,
  wm: string | null,
  profile: Profile | null,
): boolean {
  const watermark = Math.max(toNumber(wm), toNumber(profile?.revokedBefore));
  return issuedAt < watermark && toNumber(keep) < watermark;
}

/** A watermark from the store (a number string) or from `loadUser` (ms, or a Date). */
function toNumber(value: unknown): number {
  if (value instanceof Date) return value.getTime() || 0;
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : 0;
}
