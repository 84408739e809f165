import type { Profile } from "../cache/types.js";
import { isSignedOut, readClaims } from "./claims.js";
import type { WrapperContext } from "./context.js";
import { isPlainObject, toPlainRecord } from "./sanitize.js";
import type { JWTLike, SessionCallbackParams } from "./types.js";

type AppSession = (params: SessionCallbackParams) => unknown;

/**
 * The wrapped `callbacks.session`. `session.user` is built from the cached profile rather than
 * from the token, which carries ids only; the app's own callback then shapes the result.
 *
 * For the v4 signed-out token it answers `{}`: next-auth's client and `getServerSession` read an
 * empty object as "no session", and the app's callback is not asked to shape a session that
 * does not exist.
 */
export function createSessionCallback(ctx: WrapperContext, appSession: AppSession | undefined) {
  return async function session(params: SessionCallbackParams): Promise<Record<string, unknown>> {
    try {
      const token = params?.token;
      const claims = readClaims(token);
      if (!token || !claims || isSignedOut(token)) return {};

      const profile = await profileFor(ctx, token, claims.userId);
      const built = {
        ...(isPlainObject(params.session) ? params.session : {}),
        user: userOf(ctx, params.session?.user, token, profile, claims.userId),
      };

      const shaped = await runApp(ctx, appSession, { ...params, session: built, token });
      return toPlainRecord(shaped) ?? toPlainRecord(built) ?? {};
    } catch (error) {
      ctx.warn("session", error);
      return {};
    }
  };
}

/** The profile the jwt callback served on this request, else one read of the cache. */
async function profileFor(ctx: WrapperContext, token: JWTLike, userId: string) {
  const served = ctx.profiles.get(token);
  if (served !== undefined) return served;

  try {
    return await ctx.cache.getUserProfile(userId);
  } catch (error) {
    ctx.warn("session-profile", error);
    return null;
  }
}

/**
 * The token's display claims (v4 fills `session.user` from the incoming cookie, which may be
 * older than the token just issued), then the profile, then the user's id.
 */
function userOf(
  ctx: WrapperContext,
  given: unknown,
  token: JWTLike,
  profile: Profile | null,
  userId: string,
): Record<string, unknown> {
  const fromToken = { name: token.name, email: token.email, image: token.picture };
  const fromProfile = profile ? ctx.sessionUser(profile, token) : {};

  return {
    ...(isPlainObject(given) ? given : {}),
    ...fromToken,
    ...(isPlainObject(fromProfile) ? fromProfile : {}),
    id: userId,
  };
}

/** The app's callback; when it throws or returns a non-object, the built session stands. */
async function runApp(
  ctx: WrapperContext,
  appSession: AppSession | undefined,
  params: SessionCallbackParams,
) {
  if (!appSession) return params.session;

  try {
    const shaped = await appSession(params);
    return isPlainObject(shaped) ? shaped : params.session;
  } catch (error) {
    ctx.warn("app-session", error);
    return params.session;
  }
}
