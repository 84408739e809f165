import type { AuthCache } from "../cache/types.js";
import { ENVELOPE_PREFIX } from "../stores/types.js";
import { CheckFailure } from "./error-code.js";

/** What a health run needs from the cache: its public writes, its keys and its guarded store. */
export type HealthTarget = Pick<
  AuthCache,
  | "store"
  | "keys"
  | "options"
  | "cacheJWTSession"
  | "cacheUserProfile"
  | "cacheEmailToUserId"
  | "emailKey"
>;

/** The checks of a readiness run, in the order they are reported. */
export type CheckName = "ping" | "session" | "email" | "profile" | "blacklist";

/** One check's work; resolves when the store did what was asked, throws otherwise. */
export type CheckFn = () => Promise<void>;

/**
 * Synthetic entries live this long (seconds) even if the run cannot delete them (the store
 * failed half way): they never outlive a minute, and never look like a real user's data.
 */
const SYNTHETIC_TTL_S = 30;

/**
 * The synthetic entries of one run. Each check gets ids of its own, so that the checks can run
 * in parallel without seeing each other (a blacklist entry would refuse a session write).
 */
export interface SyntheticRun {
  readonly checks: Record<Exclude<CheckName, "ping">, CheckFn | null>;
  readonly ping: CheckFn;
  /** Deletes every key the run may have created. */
  cleanup(): Promise<void>;
}

export function syntheticRun(cache: HealthTarget): SyntheticRun {
  const id = `health-${randomHex()}`;
  const ids = { session: `${id}-s`, profile: `${id}-p`, email: `${id}-e`, blacklist: `${id}-b` };
  const email = `${id}@health.invalid`;
  const { store, keys } = cache;
  const created = new Set<string>();

  // Writes go through the cache's own methods (key derivation, codec, conditional writes); the
  // read-backs go to the store directly, so health runs never count as hits in the app's metrics
  // and never call the app's `loadUser` with a made-up id.
  const expectStored = async (key: string) => {
    const [value] = await store.get([key]);
    if (value === null || value === undefined) throw new CheckFailure("not-stored");
    if (!value.startsWith(ENVELOPE_PREFIX) || value.endsWith("|t")) {
      throw new CheckFailure("unreadable");
    }
  };

  const session: CheckFn = async () => {
    const key = keys.session(ids.session);
    created.add(key);
    await cache.cacheJWTSession(ids.session, { sub: ids.session, health: true }, SYNTHETIC_TTL_S);
    await expectStored(key);
  };

  const profile: CheckFn = async () => {
    const key = keys.profile(ids.profile);
    created.add(key);
    await cache.cacheUserProfile(ids.profile, { health: true }, SYNTHETIC_TTL_S);
    await expectStored(key);
  };

  const emailCheck: CheckFn = async () => {
    const key = await cache.emailKey(email);
    created.add(key);
    await cache.cacheEmailToUserId(email, ids.email, SYNTHETIC_TTL_S);
    await expectStored(key);
  };

  // The store operation `blacklistSession` performs, on a short-lived entry: the cache method
  // would keep it for the sessions' max age and count a revocation in the app's metrics.
  const blacklist: CheckFn = async () => {
    const key = keys.blacklist(ids.blacklist);
    created.add(key);
    await store.extend(key, String(Date.now()), SYNTHETIC_TTL_S * 1000);
    const ttl = await store.ttl(key);
    if (ttl === null || ttl <= 0) throw new CheckFailure("not-stored");
  };

  return {
    ping: () => store.ping(),
    checks: {
      session,
      // Email keys are HMACs under the app's secret; without one the feature is off.
      email: cache.options.hasSecret ? emailCheck : null,
      profile,
      blacklist,
    },
    async cleanup() {
      if (created.size === 0) return;
      await store.del([...created]);
    },
  };
}

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
