import type { AuthCache } from "../cache/types.js";
import { isSignedOut } from "./claims.js";
import { createTokenCodec } from "./codec/token-codec.js";
import type { TokenCodec } from "./codec/types.js";
import { createWrapperContext } from "./context.js";
import { createJwtCallback } from "./jwt-callback.js";
import { createSessionCallback } from "./session-callback.js";
import { createSessionEvent, createSignOutEvent } from "./sign-out.js";
import type {
  AuthOptionsLike,
  EncodeParams,
  Flavor,
  JWTLike,
  JwtCallbackParams,
  SessionCallbackParams,
  WithAuthCacheOptions,
} from "./types.js";
import { encodeV4Token } from "./v4-codec.js";

/**
 * Wraps NextAuth v4 `authOptions` or an Auth.js (@auth/core) config so that JWT sessions become
 * revocable and user data is served from the cache. Returns new options; the app's own
 * `callbacks.jwt`, `callbacks.session`, `events.signOut` and `events.session` keep running inside
 * the wrappers. Sessions must use the JWT strategy (the default without an adapter).
 *
 * What changes:
 * - sign-in mints a session id into the token and caches the session, the profile and the
 *   email → user id mapping;
 * - every read checks revocation in one store round trip and serves the cached profile as
 *   `session.user`, so the cookie carries ids only;
 * - sign-out revokes the session before it resolves; a revoked session reads as signed out
 *   with its cookie cleared and no error logged;
 * - on next-auth v4, `jwt.encode` is wrapped (a signed-out token encodes to no cookie); an app's
 *   own `encode` is kept, otherwise v4's default format is produced;
 * - with `codec`, `jwt.encode` / `jwt.decode` become authcache's token codec (same cookies,
 *   cheaper), unless the app brought its own.
 *
 * @example
 * export const authOptions = withAuthCache(cache, { providers, session: { strategy: "jwt" } });
 */
export function withAuthCache<T extends AuthOptionsLike>(
  cache: AuthCache,
  authOptions: T,
  options: WithAuthCacheOptions = {},
): T & WrappedOptions {
  const flavor = options.flavor ?? detectFlavor(authOptions);
  const maxAge = authOptions.session?.maxAge ?? authOptions.jwt?.maxAge;
  const ctx = createWrapperContext(cache, flavor, maxAge, options);
  const { callbacks = {}, events = {} } = authOptions;

  const wrapped: AuthOptionsLike = {
    ...authOptions,
    callbacks: {
      ...callbacks,
      jwt: createJwtCallback(ctx, callbacks.jwt),
      session: createSessionCallback(ctx, callbacks.session),
    },
    events: {
      ...events,
      signOut: createSignOutEvent(ctx, events.signOut),
      ...(events.session ? { session: createSessionEvent(ctx, events.session) } : {}),
    },
  };

  const codec = codecFor(flavor, authOptions, options.codec);
  if (flavor === "next-auth-v4") {
    wrapped.jwt = {
      ...authOptions.jwt,
      encode: createV4Encode(authOptions.jwt?.encode ?? codec?.encode),
      ...(codec ? { decode: codec.decode } : {}),
    };
  } else if (codec) {
    wrapped.jwt = { ...authOptions.jwt, encode: codec.encode, decode: codec.decode };
  }
  return wrapped as T & WrappedOptions;
}

/** What `withAuthCache` guarantees on top of the options it was given. */
export interface WrappedOptions {
  callbacks: {
    jwt: (params: JwtCallbackParams) => Promise<JWTLike | null>;
    session: (params: SessionCallbackParams) => Promise<Record<string, unknown>>;
  };
  events: { signOut: (message: unknown) => Promise<void> };
}

/** Settings only Auth.js (@auth/core) knows; next-auth v4 has none of them. */
const CORE_ONLY_KEYS = [
  "trustHost",
  "basePath",
  "redirectProxyUrl",
  "experimental",
  "skipCSRFCheck",
  "raw",
] as const;

/**
 * Guesses the library from the options' shape. @auth/core settings, or a provider passed as a
 * bare function (`providers: [GitHub]`, which v4 does not accept), select "auth-core";
 * everything else is taken for next-auth v4, the common case. Pass `flavor` to be certain.
 */
export function detectFlavor(authOptions: AuthOptionsLike): Flavor {
  if (CORE_ONLY_KEYS.some((key) => authOptions[key] !== undefined)) return "auth-core";

  const providers = authOptions.providers;
  const bareFunction = Array.isArray(providers) && providers.some((p) => typeof p === "function");
  if (bareFunction) return "auth-core";

  return "next-auth-v4";
}

type Encode = (params: EncodeParams) => unknown;

/**
 * The token codec when asked for and the app kept Auth.js' own format: an app that brought its
 * own `encode` or `decode` has a format of its own, which a codec would break.
 */
function codecFor(
  flavor: Flavor,
  authOptions: AuthOptionsLike,
  option: WithAuthCacheOptions["codec"],
): TokenCodec | undefined {
  if (!option || authOptions.jwt?.encode || authOptions.jwt?.decode) return undefined;
  return createTokenCodec({ ...(option === true ? {} : option), flavor });
}

/**
 * v4's `jwt.encode`, made to answer "" for the signed-out token (and for `null`): v4 then sends
 * only the headers that clear the session cookie, which is the clean sign-out v4 lacks.
 */
function createV4Encode(appEncode: Encode | undefined) {
  return async function encode(params: EncodeParams): Promise<string> {
    if (params.token == null || isSignedOut(params.token)) return "";
    return String(await (appEncode ?? encodeV4Token)(params));
  };
}
