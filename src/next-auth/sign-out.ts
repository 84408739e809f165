import { isValidId } from "../cache/keys.js";
import { CLAIMS, expiryOf, isSignedOut, readClaims } from "./claims.js";
import type { WrapperContext } from "./context.js";
import { isPlainObject } from "./sanitize.js";

// biome-ignore lint/suspicious/noExplicitAny: event signatures differ between the two libraries
type AppEvent = (message: any) => unknown;

/**
 * The wrapped `events.signOut`. It revokes the session for as long as any copy of its cookie
 * could still be accepted, and resolves only once the store acknowledged that: on serverless
 * hosts a write still in flight when the response goes out may never happen. The app's own
 * event runs afterwards. Nothing is thrown into Auth.js, whose answer is the same either way.
 */
export function createSignOutEvent(ctx: WrapperContext, appSignOut: AppEvent | undefined) {
  return async function signOut(message: unknown): Promise<void> {
    const token = isPlainObject(message) ? message.token : undefined;

    if (isPlainObject(token) && !isSignedOut(token)) {
      const revoked = await revokeWithRetry(ctx, token);
      if (!revoked) ctx.warn("sign-out", new Error("revocation not acknowledged"));
    }

    if (!appSignOut) return;
    try {
      await appSignOut(message);
    } catch (error) {
      ctx.warn("app-sign-out", error);
    }
  };
}

/** The wrapped `events.session`: the app hears of real sessions only, not the v4 signed-out one. */
export function createSessionEvent(ctx: WrapperContext, appSession: AppEvent) {
  return async function session(message: unknown): Promise<void> {
    if (isPlainObject(message) && isSignedOut(message.token)) return;

    try {
      await appSession(message);
    } catch (error) {
      ctx.warn("app-session-event", error);
    }
  };
}

/** Two attempts: a single dropped packet should not leave a signed-out cookie replayable. */
async function revokeWithRetry(ctx: WrapperContext, token: Record<string, unknown>) {
  const until = expiryOf(token) ?? ctx.now() + ctx.maxAgeSec * 1000;
  const claims = readClaims(token);
  const sessionId = token[CLAIMS.sessionId];

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      if (claims) {
        await ctx.cache.revokeSession(claims.userId, claims.sessionId, until);
      } else if (isValidId(sessionId)) {
        await ctx.cache.blacklistSession(sessionId, { expiresAt: until });
      }
      return true;
    } catch (error) {
      if (attempt === 1) ctx.warn("sign-out", error);
    }
  }
  return false;
}
