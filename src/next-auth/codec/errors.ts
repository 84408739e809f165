/**
 * Why a session token was refused. The codes are the ones Auth.js' own decoder (through `jose`)
 * reports for the same fault, so code that inspects `error.code` behaves alike with either.
 */
export type TokenErrorCode =
  /** Not a compact JWE, or a malformed part. */
  | "ERR_JWE_INVALID"
  /** The tag did not verify: a tampered token, or one sealed under another secret or salt. */
  | "ERR_JWE_DECRYPTION_FAILED"
  /** An `alg` / `enc` the flavor does not write. */
  | "ERR_JOSE_ALG_NOT_ALLOWED"
  /** A header feature neither Auth.js version accepts (an unknown `crit`, `zip` other than DEF). */
  | "ERR_JOSE_NOT_SUPPORTED"
  /** The claims are not a JSON object. */
  | "ERR_JWT_INVALID"
  /** A time claim that is not a number, or a token not valid yet. */
  | "ERR_JWT_CLAIM_VALIDATION_FAILED"
  /** `exp` lies in the past by more than the clock tolerance. */
  | "ERR_JWT_EXPIRED"
  /** The token names a key (`kid`) that none of the configured secrets derives. */
  | "ERR_NO_MATCHING_SECRET";

/** A session token that cannot be read. Auth.js treats it as no session and clears the cookie. */
export class TokenError extends Error {
  readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TokenError";
    this.code = code;
  }
}
