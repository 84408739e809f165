import { strictUtf8, utf8 } from "./bytes.js";
import { TokenError } from "./errors.js";
import { isPlainObject } from "./jwe.js";

/** Seconds of clock skew both Auth.js versions allow when checking `exp` and `nbf`. */
export const CLOCK_TOLERANCE_SEC = 15;

/** Auth.js' default session life: 30 days. */
export const DEFAULT_MAX_AGE_SEC = 30 * 24 * 60 * 60;

/** How much inflated claims may weigh, as Auth.js' decoder caps it. */
const MAX_INFLATED_BYTES = 250_000;

/**
 * The claims to seal: the token's own, then `iat` (now), `exp` (now + maxAge) and a fresh random
 * `jti`, overwriting any the token carried, in the key order Auth.js produces. The two versions
 * copy differently, and the difference shows on odd tokens: Auth.js (@auth/core) clones the token
 * structurally first, so a function or Symbol inside fails; v4 serializes it as is, so they are
 * silently left out. Both refuse a token that is not a plain object.
 */
export function claimsToSeal(
  token: unknown,
  maxAgeSec: number,
  nowMs: number,
  cloneFirst: boolean,
): Uint8Array {
  if (!isPlainObject(token)) throw new TypeError("JWT Claims Set MUST be an object");

  const nowSec = Math.floor(nowMs / 1000);
  const copy: Record<string, unknown> = cloneFirst ? structuredClone(token) : { ...token };
  copy.iat = nowSec;
  copy.exp = nowSec + maxAgeSec;
  copy.jti = crypto.randomUUID();

  if (cloneFirst && typeof copy.nbf === "number" && !Number.isFinite(copy.nbf)) {
    throw new TypeError('"nbf" claim must be a finite number');
  }
  return utf8.encode(JSON.stringify(copy));
}

/**
 * The claims of an opened token, checked as Auth.js checks them: a JSON object; `iat`, `nbf` and
 * `exp` numbers when present; not before `nbf` and not at or after `exp`, each with 15 s of
 * tolerance. Returns the claims' JSON text, which the decode memo keeps.
 */
export function checkClaims(plaintext: Uint8Array, header: Record<string, unknown>, nowMs: number) {
  let text: string;
  let claims: unknown;
  try {
    text = strictUtf8.decode(plaintext);
    claims = JSON.parse(text);
  } catch {
    throw new TokenError("ERR_JWT_INVALID", "JWT Claims Set must be a top-level JSON object");
  }
  if (!isPlainObject(claims)) {
    throw new TokenError("ERR_JWT_INVALID", "JWT Claims Set must be a top-level JSON object");
  }

  const nowSec = Math.floor(nowMs / 1000);
  numeric(claims, "iat");
  const nbf = numeric(claims, "nbf");
  if (nbf !== undefined && nbf > nowSec + CLOCK_TOLERANCE_SEC) {
    throw new TokenError("ERR_JWT_CLAIM_VALIDATION_FAILED", '"nbf" claim timestamp check failed');
  }
  const exp = numeric(claims, "exp");
  if (exp !== undefined && exp <= nowSec - CLOCK_TOLERANCE_SEC) {
    throw new TokenError("ERR_JWT_EXPIRED", '"exp" claim timestamp check failed');
  }

  // A header that repeats iss / sub / aud must agree with the claims it vouches for.
  for (const claim of ["iss", "sub", "aud"] as const) {
    if (header[claim] === undefined) continue;
    if (JSON.stringify(header[claim]) !== JSON.stringify(claims[claim])) {
      throw new TokenError("ERR_JWT_CLAIM_VALIDATION_FAILED", `replicated "${claim}" mismatch`);
    }
  }
  return { text, claims, exp };
}

function numeric(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new TokenError("ERR_JWT_CLAIM_VALIDATION_FAILED", `"${name}" claim must be a number`);
  }
  return value;
}

/** Raw-DEFLATE decompression for a `zip: "DEF"` token, capped like Auth.js' decoder. */
export async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") {
    throw new TokenError("ERR_JOSE_NOT_SUPPORTED", "zip needs DecompressionStream");
  }

  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream("deflate-raw"));
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.length;
      if (size > MAX_INFLATED_BYTES) {
        await reader.cancel();
        throw new TokenError("ERR_JWE_INVALID", "inflated claims too large");
      }
      chunks.push(next.value);
    }
  } catch (error) {
    if (error instanceof TokenError) throw error;
    throw new TokenError("ERR_JWE_INVALID", "claims failed to inflate", { cause: error });
  }
  return new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}
