import { createTokenCodec } from "./codec/token-codec.js";
import type { TokenCodec } from "./codec/types.js";
import type { EncodeParams } from "./types.js";

/**
 * next-auth v4's default session-token encoder, reproduced: a compact JWE, `dir` / `A256GCM`,
 * under a key derived with HKDF-SHA256 from the secret (info "NextAuth.js Generated Encryption
 * Key", plus " (<salt>)" when a salt is given), carrying the claims plus `iat`, `exp`
 * (now + maxAge) and a random `jti`. v4's `decode` and `getToken()` read it unchanged.
 *
 * A clean v4 sign-out needs `jwt.encode` to answer "" for the signed-out token, and replacing the
 * option replaces v4's own encoder; the wrapper may not import next-auth, so it encodes with this.
 */
const encoders: Partial<Record<"auto" | "web", TokenCodec>> = {};

/** Encodes `token` the way next-auth v4's default `jwt.encode` does. */
export function encodeV4Token(
  params: EncodeParams,
  /** Which crypto to seal with; Node's by default when the runtime has it. */
  engine: "auto" | "web" = "auto",
): Promise<string> {
  encoders[engine] ??= createTokenCodec({ flavor: "next-auth-v4", memo: false, engine });
  return encoders[engine].encode(params);
}
