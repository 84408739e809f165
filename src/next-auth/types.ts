import type { Logger } from "../logger.js";
import type { CodecOptions } from "./codec/types.js";

/**
 * The small structural slice of NextAuth v4 / Auth.js options and callback arguments that the
 * wrapper touches. Declared here rather than imported so that `authcache/next-auth` works with
 * either library installed (they cannot be installed together) and pulls neither into a bundle.
 */

/** A decoded JWT payload as Auth.js hands it to callbacks. */
export type JWTLike = Record<string, unknown>;

/** The arguments Auth.js passes to `callbacks.jwt`. */
export interface JwtCallbackParams {
  token: JWTLike;
  user?: unknown;
  account?: unknown;
  profile?: unknown;
  isNewUser?: boolean;
  trigger?: "signIn" | "signUp" | "update";
  session?: unknown;
}

/** The arguments Auth.js passes to `callbacks.session` for JWT sessions. */
export interface SessionCallbackParams {
  session: Record<string, unknown> & { user?: Record<string, unknown> | null };
  token: JWTLike | null;
  [extra: string]: unknown;
}

/**
 * What the `jwt.encode` option receives. `salt` is the cookie name on @auth/core. `secret` may
 * list several secrets, newest first (rotation); next-auth v4 also passes bytes. No index
 * signature: Auth.js declares its own parameter types without one, and a function taking these
 * must stay assignable to its `jwt.encode` option.
 */
export interface EncodeParams {
  token?: JWTLike | null;
  secret: string | Uint8Array | readonly (string | Uint8Array)[];
  maxAge?: number;
  salt?: string;
}

// Auth.js types its callbacks with its own nominal types; accepting any function keeps an app's
// options assignable without casts, and the wrapper validates what it gets at run time.
// biome-ignore lint/suspicious/noExplicitAny: callback signatures differ between the two libraries
type AnyFn = (...args: any[]) => any;

/**
 * The parts of NextAuth v4 `AuthOptions` / Auth.js `AuthConfig` the wrapper reads or replaces.
 * No index signatures: both libraries declare their options as interfaces, which TypeScript
 * would not let through one.
 */
export interface AuthOptionsLike {
  callbacks?: { jwt?: AnyFn; session?: AnyFn } | undefined;
  events?: { signOut?: AnyFn; session?: AnyFn } | undefined;
  session?: { strategy?: string; maxAge?: number } | undefined;
  jwt?: { encode?: AnyFn; decode?: AnyFn; maxAge?: number } | undefined;
  providers?: unknown;
  // Settings only @auth/core has, read to tell the two libraries apart.
  trustHost?: unknown;
  basePath?: unknown;
  redirectProxyUrl?: unknown;
  experimental?: unknown;
  skipCSRFCheck?: unknown;
  raw?: unknown;
}

/**
 * Which library runs the options. They differ in how a session ends without an error:
 * @auth/core accepts `null` from the jwt callback; next-auth v4 needs a signed-out token that
 * encodes to an empty cookie and a session callback that answers `{}`.
 */
export type Flavor = "next-auth-v4" | "auth-core";

/** Options of `withAuthCache`. */
export interface WithAuthCacheOptions {
  /**
   * The library the options are for. Detected from the options when omitted: @auth/core-only
   * settings (`trustHost`, `basePath`, `redirectProxyUrl`, `experimental`, `skipCSRFCheck`,
   * `raw`, `useSecureCookies` with provider functions) select "auth-core", anything else
   * "next-auth-v4". Set it explicitly for @auth/core apps whose options carry none of those.
   */
  flavor?: Flavor;
  /**
   * Minimum milliseconds between two sliding refreshes of one session (its TTL and last-seen
   * time). Every read still checks revocation; only the write is throttled. @default 60000
   */
  touchIntervalMs?: number;
  /**
   * Shapes `session.user` from the cached profile. The default exposes the profile's fields
   * except `revokedBefore`, plus `id`; return a smaller object to keep private fields off the
   * client.
   */
  sessionUser?: (profile: Record<string, unknown>, token: JWTLike) => Record<string, unknown>;
  /**
   * The browser of the current request, shown by `listUserSessions` ("your devices"). Auth.js
   * does not pass the request to its callbacks; on Next.js read it from `headers()`.
   * @example userAgent: async () => (await headers()).get("user-agent")
   */
  userAgent?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Receives the wrapper's warnings (an app callback that threw, a store write that failed). */
  logger?: Logger;
  /**
   * Encode and decode session cookies with authcache's token codec (`createTokenCodec`): the
   * same cookies Auth.js writes, at a fraction of the cost. `true` uses the defaults; options
   * tune it (its flavor follows `flavor`). An app's own `jwt.encode` or `jwt.decode` is kept
   * as it is and turns this off. Cookies stay valid when it is switched on or off.
   * @default false
   */
  codec?: boolean | CodecOptions;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
}
