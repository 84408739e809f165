import type { AuthCache, Profile } from "../cache/types.js";
import { createRateLimitedLog, silentLogger } from "../logger.js";
import { signedOutToken } from "./claims.js";
import type { Flavor, JWTLike, WithAuthCacheOptions } from "./types.js";

/** What the wrapped callbacks and events of one `withAuthCache` call share. */
export interface WrapperContext {
  cache: AuthCache;
  flavor: Flavor;
  /** The session's max age in seconds: how long a token lives after its last re-encode. */
  maxAgeSec: number;
  touchIntervalMs: number;
  now: () => number;
  /**
   * The profile the jwt callback served, keyed by the very token object it returned: Auth.js
   * passes that object straight to the session callback, which then needs no second read.
   */
  profiles: WeakMap<object, Profile | null>;
  sessionUser: (profile: Record<string, unknown>, token: JWTLike) => Record<string, unknown>;
  warn: (op: string, error: unknown) => void;
  /** The current request's user agent, when the app can tell; never throws. */
  userAgent: () => Promise<string | null>;
}

const DEFAULT_MAX_AGE_SEC = 30 * 24 * 60 * 60;
const DEFAULT_TOUCH_INTERVAL_MS = 60_000;

export function createWrapperContext(
  cache: AuthCache,
  flavor: Flavor,
  maxAgeSec: number | undefined,
  options: WithAuthCacheOptions,
): WrapperContext {
  const log = createRateLimitedLog(options.logger ?? silentLogger);

  return {
    cache,
    flavor,
    maxAgeSec: positive(maxAgeSec) ?? DEFAULT_MAX_AGE_SEC,
    touchIntervalMs: positive(options.touchIntervalMs) ?? DEFAULT_TOUCH_INTERVAL_MS,
    now: options.now ?? Date.now,
    profiles: new WeakMap(),
    sessionUser: options.sessionUser ?? defaultSessionUser,
    userAgent: async () => {
      try {
        const ua = await options.userAgent?.();
        return typeof ua === "string" ? ua.slice(0, 256) : null;
      } catch {
        return null;
      }
    },
    // Only the error's name reaches the log: messages may quote tokens or emails.
    warn: (op, error) =>
      log("warn", `next-auth:${op}`, { op, error: errorName(error) }, "auth callback degraded"),
  };
}

/** The outcome that ends a session without an error in the flavor at hand. */
export function signedOut(ctx: WrapperContext): JWTLike | null {
  return ctx.flavor === "auth-core" ? null : signedOutToken();
}

/** The profile as `session.user` shows it: everything but the persisted revocation watermark. */
function defaultSessionUser(profile: Record<string, unknown>): Record<string, unknown> {
  const { revokedBefore: _watermark, ...shown } = profile;
  return shown;
}

function positive(value: number | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}
