import { fromBase64url, strictUtf8, toBase64url, utf8 } from "./bytes.js";
import { type ContentEncryption, IV_BYTES, type Sealed } from "./engine.js";
import { TokenError } from "./errors.js";

/**
 * The JWE compact serialization (RFC 7516 §7.1) as both Auth.js versions use it for the session
 * cookie: BASE64URL(protected header) "." "" "." IV "." ciphertext "." tag, with `alg: "dir"`
 * (the derived key is the content key, so the encrypted-key part stays empty) and the ASCII of
 * the encoded header as the AAD. Neither version compresses the claims (no `zip`).
 */

/** A token split into its parts and checked for shape; nothing is decrypted yet. */
export interface ParsedJwe {
  header: Record<string, unknown>;
  enc: ContentEncryption;
  kid: string | undefined;
  /** `zip: "DEF"`: the claims are raw-DEFLATE compressed (read, never written). */
  deflated: boolean;
  aad: Uint8Array;
  sealed: Sealed;
}

/** The encoded protected header for `enc`, with the key's thumbprint when given. */
export function encodeHeader(enc: ContentEncryption, kid?: string): string {
  const header = kid === undefined ? { alg: "dir", enc } : { alg: "dir", enc, kid };
  return toBase64url(utf8.encode(JSON.stringify(header)));
}

export function serialize(encodedHeader: string, { iv, ciphertext, tag }: Sealed): string {
  return `${encodedHeader}..${toBase64url(iv)}.${toBase64url(ciphertext)}.${toBase64url(tag)}`;
}

/** Splits and validates a compact JWE; `accepted` lists the `enc` values the flavor reads. */
export function parse(token: string, accepted: readonly ContentEncryption[]): ParsedJwe {
  const parts = token.split(".");
  if (parts.length !== 5) invalid("not a compact JWE");
  const [encodedHeader = "", encryptedKey, iv, ciphertext, tag] = parts;

  const header = parseHeader(encodedHeader);
  checkExtensions(header);

  const { alg, enc, kid } = header;
  if (typeof alg !== "string" || alg === "") invalid("missing alg");
  if (alg !== "dir") notAllowed("alg");
  if (encryptedKey !== "") invalid("unexpected encrypted key for dir");
  if (typeof enc !== "string" || enc === "") invalid("missing enc");
  if (!accepted.includes(enc as ContentEncryption)) notAllowed("enc");

  const sealed = {
    iv: part(iv, "iv"),
    ciphertext: part(ciphertext, "ciphertext"),
    tag: part(tag, "tag"),
  };
  checkSizes(enc as ContentEncryption, sealed);

  return {
    header,
    enc: enc as ContentEncryption,
    kid: typeof kid === "string" ? kid : undefined,
    deflated: header.zip === "DEF",
    aad: utf8.encode(encodedHeader),
    sealed,
  };
}

function parseHeader(encoded: string): Record<string, unknown> {
  const bytes = fromBase64url(encoded);
  let header: unknown;
  try {
    header = bytes && JSON.parse(strictUtf8.decode(bytes));
  } catch {
    header = undefined;
  }
  if (!isPlainObject(header)) invalid("the protected header is not a JSON object");
  return header;
}

/** `crit` names extensions a reader must understand; Auth.js understands none. */
function checkExtensions(header: Record<string, unknown>): void {
  const { crit, zip } = header;
  if (crit !== undefined) {
    const wellFormed =
      Array.isArray(crit) && crit.length > 0 && crit.every((c) => typeof c === "string" && c);
    if (!wellFormed) invalid("malformed crit");
    throw new TokenError("ERR_JOSE_NOT_SUPPORTED", "unrecognised critical header parameter");
  }
  if (zip !== undefined && zip !== "DEF") {
    throw new TokenError("ERR_JOSE_NOT_SUPPORTED", "unsupported zip");
  }
}

function part(text: string | undefined, name: string): Uint8Array {
  const bytes = text ? fromBase64url(text) : null;
  if (!bytes) invalid(`missing or malformed ${name}`);
  return bytes;
}

function checkSizes(enc: ContentEncryption, { iv, tag }: Sealed): void {
  if (iv.length !== IV_BYTES[enc]) invalid("wrong initialization vector length");
  if (enc === "A256GCM" && tag.length !== 16) invalid("wrong authentication tag length");
}

/** A JSON object in the sense JOSE means: not an array, not null, a plain prototype. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function invalid(reason: string): never {
  throw new TokenError("ERR_JWE_INVALID", `invalid session token: ${reason}`);
}

function notAllowed(what: "alg" | "enc"): never {
  throw new TokenError("ERR_JOSE_ALG_NOT_ALLOWED", `session token ${what} not allowed`);
}
