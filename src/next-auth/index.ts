/**
 * `authcache/next-auth`: revocable JWT sessions and cached user data for next-auth v4 and
 * Auth.js (@auth/core). Imports neither library, so it works with whichever the app runs,
 * and runs on edge runtimes.
 */
export { CLAIMS, sessionOf } from "./claims.js";
export { TokenError, type TokenErrorCode } from "./codec/errors.js";
export { createTokenCodec } from "./codec/token-codec.js";
export type { CodecOptions, CodecStats, DecodeParams, TokenCodec } from "./codec/types.js";
export { isRevoked } from "./is-revoked.js";
export { toPlain, toPlainRecord } from "./sanitize.js";
export type {
  AuthOptionsLike,
  EncodeParams,
  Flavor,
  JWTLike,
  JwtCallbackParams,
  SessionCallbackParams,
  WithAuthCacheOptions,
} from "./types.js";
export { encodeV4Token } from "./v4-codec.js";
export { detectFlavor, type WrappedOptions, withAuthCache } from "./with-auth-cache.js";
