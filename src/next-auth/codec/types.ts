import type { EncodeParams, Flavor, JWTLike } from "../types.js";
import type { Secret } from "./keys.js";
import type { EngineChoice } from "./pick-engine.js";

/** What the `jwt.decode` option receives. `salt` is the cookie name on @auth/core. */
export interface DecodeParams {
  token?: string | null;
  secret: Secret | readonly Secret[];
  salt?: string;
}

export interface CodecOptions {
  /**
   * Which Auth.js writes and reads the cookies: "next-auth-v4" (`dir` / A256GCM, no salt by
   * default) or "auth-core" (`dir` / A256CBC-HS512 with a `kid`, salted with the cookie name).
   * `withAuthCache` passes its own flavor. @default "next-auth-v4"
   */
  flavor?: Flavor;
  /**
   * Remember recently decoded cookies, so repeated reads of one cookie skip the decryption.
   * `false` turns it off. @default { maxEntries: 5000 }
   */
  memo?: { maxEntries?: number } | false;
  /**
   * "auto" runs on Node's synchronous crypto where the runtime has it and on Web Crypto
   * elsewhere; "web" always uses Web Crypto (to exercise the edge path on Node). @default "auto"
   */
  engine?: EngineChoice;
  /** The clock, in ms, for `iat` / `exp` and expiry checks. @default Date.now */
  now?: () => number;
}

/** What a codec has done since it was made, for tests and metrics. */
export interface CodecStats {
  /** The crypto in use: Node's synchronous one, or Web Crypto (edge runtimes). */
  engine: "node" | "web";
  /** HKDF runs: one per secret, cookie name and key size, not one per request. */
  derivations: number;
  encrypts: number;
  /** Decryptions actually performed (memo hits are not counted). */
  decrypts: number;
  memoHits: number;
  memoSize: number;
}

/** `jwt.encode` / `jwt.decode` for Auth.js options, plus counters. */
export interface TokenCodec {
  /** Seals `token` into a session cookie value, exactly as the flavor's own `jwt.encode`. */
  encode(params: EncodeParams): Promise<string>;
  /**
   * Opens a session cookie value as the flavor's own `jwt.decode` does: `null` for no token,
   * else the claims, or a `TokenError` when the token is malformed, tampered with, sealed under
   * another secret or cookie name, or expired (15 s of clock tolerance).
   */
  decode(params: DecodeParams): Promise<JWTLike | null>;
  stats(): CodecStats;
}
