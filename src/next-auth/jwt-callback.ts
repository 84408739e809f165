import { isValidId } from "../cache/keys.js";
import type { Profile, SessionCheck } from "../cache/types.js";
import { InvalidIdError } from "../errors.js";
import {
  CLAIMS,
  expiryOf,
  isSignedOut,
  mintSessionId,
  readClaims,
  type SessionClaims,
  trimProfileClaims,
  withClaims,
} from "./claims.js";
import { signedOut, type WrapperContext } from "./context.js";
import { applyUpdate, profileFromUser, refreshProfileClaims } from "./profile-sync.js";
import { isPlainObject, toPlainRecord } from "./sanitize.js";
import type { JWTLike, JwtCallbackParams } from "./types.js";

type AppJwt = (params: JwtCallbackParams) => unknown;

/** What the app's own jwt callback gave back, judged. */
type AppOutcome =
  | { kind: "token"; token: JWTLike }
  | { kind: "signed-out" }
  | { kind: "unusable"; error?: unknown };

/**
 * The wrapped `callbacks.jwt`. It runs the session lifecycle around the app's own callback and
 * always answers with a plain, clone-safe token carrying a string `sub`, or with the flavor's
 * clean sign-out; it never throws into Auth.js.
 */
export function createJwtCallback(ctx: WrapperContext, appJwt: AppJwt | undefined) {
  return async function jwt(params: JwtCallbackParams): Promise<JWTLike | null> {
    const started = performance.now();
    let trigger: "signIn" | "read" | "update" | "error" = "read";
    let result: JWTLike | null;

    try {
      const p: JwtCallbackParams = isPlainObject(params) ? params : { token: {} };

      if (p.trigger === "signIn" || p.trigger === "signUp" || p.user != null) {
        trigger = "signIn";
        result = await signIn(ctx, p, appJwt);
      } else if (isSignedOut(p.token)) {
        result = signedOut(ctx);
      } else {
        if (p.trigger === "update") trigger = "update";
        result = await refresh(ctx, p, appJwt, trigger === "update");
      }
    } catch (error) {
      // Only a fault of the wrapper itself lands here; failing closed is the safe answer.
      ctx.warn("jwt", error);
      trigger = "error";
      result = signedOut(ctx);
    }

    const outcome = result === null || isSignedOut(result) ? "signed-out" : "token";
    ctx.cache.emit({ type: "jwt", trigger, outcome, ms: performance.now() - started });
    return result;
  };
}

/** Sign-in: the app's callback shapes the token, then a new session is minted and cached. */
async function signIn(ctx: WrapperContext, p: JwtCallbackParams, appJwt: AppJwt | undefined) {
  const input = toPlainRecord(p.token) ?? {};
  const app = await runApp(ctx, appJwt, { ...p, token: { ...input } });
  if (app.kind === "signed-out") return signedOut(ctx);

  const base = app.kind === "token" ? app.token : input;
  const userId = firstId(base.sub, input.sub, idOf(p.user));
  if (userId === null) {
    // Without a usable id nothing could confirm or revoke the session: refuse it, and say so.
    ctx.warn("sign-in", new InvalidIdError("user id", "no usable id on the signed-in user"));
    return signedOut(ctx);
  }

  const t = ctx.now();
  const claims: SessionClaims = { userId, sessionId: mintSessionId(), startedAt: t, touchedAt: t };
  const profile = await freshProfile(ctx, userId, profileFromUser(p.user));
  const token = trimProfileClaims(withClaims(refreshProfileClaims(base, profile), claims));

  const writes: Promise<unknown>[] = [
    ctx.cache.startSession(
      {
        userId,
        sessionId: claims.sessionId,
        createdAt: t,
        expiresAt: expiresAt(ctx, t),
        userAgent: await ctx.userAgent(),
      },
      cached(ctx, token, t),
    ),
  ];
  if (profile) writes.push(ctx.cache.cacheUserProfile(userId, profile));

  const email = profile?.email ?? token.email;
  if (ctx.cache.options.hasSecret && typeof email === "string" && email.length > 0) {
    writes.push(ctx.cache.cacheEmailToUserId(email, userId));
  }

  // The sign-in succeeds even when the store is down: later reads apply `onStoreDown`/`strict`.
  for (const result of await Promise.allSettled(writes)) {
    if (result.status === "rejected") ctx.warn("sign-in", result.reason);
  }

  ctx.profiles.set(token, profile);
  return token;
}

/** A read or an update of an existing session: confirm it, then serve fresh profile data. */
async function refresh(
  ctx: WrapperContext,
  p: JwtCallbackParams,
  appJwt: AppJwt | undefined,
  isUpdate: boolean,
) {
  const input = toPlainRecord(p.token);
  const confirmed = await confirm(ctx, input);
  if (confirmed === null || confirmed.check.revoked) return signedOut(ctx);

  let { claims } = confirmed;
  const profileBefore = confirmed.check.profile;
  const before = refreshProfileClaims(confirmed.base, profileBefore);

  const app = await runApp(ctx, appJwt, { ...p, token: { ...before } });
  if (app.kind === "signed-out") {
    // The app ended the session on purpose: make it stick for every copy of the cookie.
    await revoke(ctx, claims, input);
    return signedOut(ctx);
  }

  const after = app.kind === "token" ? app.token : before;
  const profile = isUpdate
    ? await applyUpdate(ctx, claims.userId, before, after, profileBefore)
    : profileBefore;

  const t = ctx.now();
  const due = isUpdate || t - claims.touchedAt >= ctx.touchIntervalMs;
  if (due) claims = { ...claims, touchedAt: t };

  const token = trimProfileClaims(withClaims(refreshProfileClaims(after, profile), claims));
  if (due) await touch(ctx, claims, token, t);

  ctx.profiles.set(token, profile);
  return token;
}

interface Confirmed {
  claims: SessionClaims;
  base: JWTLike;
  check: SessionCheck;
}

/**
 * Checks the session in one round trip. A token whose claims are damaged is recovered from the
 * cached copy of its session, but only for the same user: the cached token's `sub` must match
 * the `sub` that remains, and where none remains the session id alone names the user.
 */
async function confirm(ctx: WrapperContext, input: JWTLike | null): Promise<Confirmed | null> {
  const claims = input ? readClaims(input) : null;

  if (input && claims) {
    const check = await ctx.cache.checkSession({
      sessionId: claims.sessionId,
      userId: claims.userId,
      issuedAt: claims.startedAt,
    });
    return { claims, base: input, check };
  }

  const sessionId = input?.[CLAIMS.sessionId];
  if (!input || typeof sessionId !== "string") return null;

  const stored = await ctx.cache.getJWTSession(sessionId).catch(() => null);
  const storedClaims = readClaims(stored);
  if (!stored || !storedClaims || storedClaims.sessionId !== sessionId) return null;
  if (input.sub !== undefined && input.sub !== storedClaims.userId) return null;

  const check = await ctx.cache.checkSession({
    sessionId,
    userId: storedClaims.userId,
    issuedAt: storedClaims.startedAt,
  });
  const base = withClaims({ ...(toPlainRecord(stored) ?? {}), ...input }, storedClaims);
  return { claims: storedClaims, base, check };
}

/** Runs the app's callback; a throw, a non-object or an empty object is "unusable". */
async function runApp(
  ctx: WrapperContext,
  appJwt: AppJwt | undefined,
  params: JwtCallbackParams,
): Promise<AppOutcome> {
  if (!appJwt) return { kind: "token", token: params.token };

  let returned: unknown;
  try {
    returned = await appJwt(params);
  } catch (error) {
    ctx.warn("app-jwt", error);
    return { kind: "unusable", error };
  }

  // `null` is Auth.js' documented way for an app to end a session.
  if (returned === null) return { kind: "signed-out" };

  const token = isPlainObject(returned) ? toPlainRecord(returned) : null;
  if (!token || Object.keys(token).length === 0) return { kind: "unusable" };
  return { kind: "token", token };
}

/**
 * At sign-in the source of truth is read afresh: the user object the provider returned, with
 * what `loadUser` says on top. A profile cached by an earlier session is not trusted here.
 */
async function freshProfile(
  ctx: WrapperContext,
  userId: string,
  fromUser: Profile | null,
): Promise<Profile | null> {
  let loaded: Profile | null = null;
  try {
    await ctx.cache.invalidateUserProfile(userId);
    loaded = await ctx.cache.getUserProfile(userId);
  } catch (error) {
    ctx.warn("sign-in-profile", error);
  }

  const merged = { ...(fromUser ?? {}), ...(toPlainRecord(loaded) ?? {}) };
  return Object.keys(merged).length > 0 ? merged : null;
}

async function touch(ctx: WrapperContext, claims: SessionClaims, token: JWTLike, t: number) {
  const start = {
    userId: claims.userId,
    sessionId: claims.sessionId,
    createdAt: claims.startedAt,
    expiresAt: expiresAt(ctx, t),
    userAgent: await ctx.userAgent(),
  };

  try {
    await ctx.cache.touchSession(start, cached(ctx, token, t), t);
  } catch (error) {
    ctx.warn("touch", error);
  }
}

async function revoke(ctx: WrapperContext, claims: SessionClaims, token: JWTLike | null) {
  try {
    const until = expiryOf(token) ?? expiresAt(ctx, ctx.now());
    await ctx.cache.revokeSession(claims.userId, claims.sessionId, until);
  } catch (error) {
    ctx.warn("revoke", error);
  }
}

/**
 * The copy of the token the cache keeps for recovery: its `exp` is the one the re-encoded cookie
 * will carry, so the cache never treats a live session's copy as expired.
 */
function cached(ctx: WrapperContext, token: JWTLike, t: number): JWTLike {
  const { iat: _iat, jti: _jti, ...rest } = token;
  return { ...rest, exp: Math.floor(expiresAt(ctx, t) / 1000) };
}

function expiresAt(ctx: WrapperContext, t: number): number {
  return t + ctx.maxAgeSec * 1000;
}

function firstId(...candidates: unknown[]): string | null {
  for (const candidate of candidates) {
    if (isValidId(candidate)) return candidate;
  }
  return null;
}

function idOf(user: unknown): unknown {
  if (typeof user !== "object" || user === null) return undefined;
  const id = (user as { id?: unknown }).id;
  return typeof id === "number" || typeof id === "bigint" ? String(id) : id;
}
