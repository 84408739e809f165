import type { EncodeParams, Flavor, JWTLike } from "../types.js";
import { toBase64url, utf8 } from "./bytes.js";
import { checkClaims, claimsToSeal, DEFAULT_MAX_AGE_SEC, inflate } from "./claims.js";
import { CEK_BYTES, type ContentEncryption } from "./engine.js";
import { TokenError } from "./errors.js";
import { encodeHeader, type ParsedJwe, parse, serialize } from "./jwe.js";
import { type DerivedKey, KeyRing, type Secret, secretId } from "./keys.js";
import { DecodeMemo } from "./memo.js";
import { pickEngine } from "./pick-engine.js";
import type { CodecOptions, DecodeParams, TokenCodec } from "./types.js";

/** How each Auth.js version writes and reads its session cookie. */
interface Format {
  writes: ContentEncryption;
  reads: readonly ContentEncryption[];
  info(salt: string): string;
  /** @auth/core names the key in the header and requires a salt (the cookie name). */
  core: boolean;
}

const FORMATS: Record<Flavor, Format> = {
  "next-auth-v4": {
    writes: "A256GCM",
    reads: ["A256GCM"],
    info: (salt) => `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`,
    core: false,
  },
  "auth-core": {
    writes: "A256CBC-HS512",
    reads: ["A256CBC-HS512", "A256GCM"],
    info: (salt) => `Auth.js Generated Encryption Key (${salt})`,
    core: true,
  },
};

const DEFAULT_MEMO_ENTRIES = 5000;

/**
 * A session-token codec for Auth.js: `jwt: { encode, decode }` that writes and reads exactly the
 * cookies the flavor's own implementation does, so cookies stay valid in both directions when
 * it is switched on or off. Same algorithms, HKDF-SHA256 key derivation with the same info and
 * salt, and secret rotation: with `secret: [newest, older…]` tokens are sealed under the first
 * secret and opened under whichever one made them (by the token's `kid` on @auth/core).
 *
 * Where it differs is cost: keys are derived once per secret and cookie name, Node's synchronous
 * ciphers are used where the runtime has them (Web Crypto on the edge), and recently decoded
 * cookies can be remembered (see `memo`).
 *
 * The memo never skips the revocation check: it only saves decrypting a cookie seen moments ago.
 * Auth.js still runs the jwt callback on every request, and that is where `withAuthCache` asks
 * the store whether the session was revoked. Entries are keyed by a SHA-256 digest of the cookie,
 * bounded in number, never served past the token's `exp`, and each hit returns a new object.
 *
 * @example
 * const codec = createTokenCodec({ flavor: "auth-core" });
 * export const { auth, handlers } = NextAuth({ ...config, jwt: codec });
 */
export function createTokenCodec(options: CodecOptions = {}): TokenCodec {
  const format = FORMATS[options.flavor ?? "next-auth-v4"];
  const engine = pickEngine(options.engine);
  const ring = new KeyRing(engine);
  const now = options.now ?? Date.now;
  const memo = createMemo(options.memo, now);
  const headers = new Map<string, { text: string; aad: Uint8Array }>();
  const counters = { encrypts: 0, decrypts: 0, memoHits: 0 };

  /** The encoded header and its AAD bytes, built once per key. */
  function headerFor(kid: string | undefined) {
    const id = kid ?? "";
    let header = headers.get(id);
    if (!header) {
      if (headers.size >= 32) headers.clear();
      const text = encodeHeader(format.writes, kid);
      header = { text, aad: utf8.encode(text) };
      headers.set(id, header);
    }
    return header;
  }

  function keyFor(secret: Secret, salt: string, enc: ContentEncryption, withKid: boolean) {
    return ring.get(secret, salt, format.info(salt), CEK_BYTES[enc], withKid);
  }

  async function encode(params: EncodeParams): Promise<string> {
    const secret = secretsOf(params.secret)[0] as Secret;
    const salt = saltOf(params.salt, format);
    const { token = {}, maxAge = DEFAULT_MAX_AGE_SEC } = params;

    const plaintext = claimsToSeal(token, maxAge, now(), format.core);
    const key = await keyFor(secret, salt, format.writes, format.core);
    const header = headerFor(key.kid);

    counters.encrypts++;
    const sealed = await engine.seal(format.writes, key.raw, plaintext, header.aad);
    return serialize(header.text, sealed);
  }

  async function decrypt(jwe: ParsedJwe, key: DerivedKey): Promise<Uint8Array> {
    counters.decrypts++;
    const plaintext = await engine.open(jwe.enc, key.raw, jwe.sealed, jwe.aad);
    return jwe.deflated ? inflate(plaintext) : plaintext;
  }

  /**
   * Opens `jwe` with the secret that made it. @auth/core names the key (`kid`): the secret whose
   * key matches is used, or the first one for a token without `kid`, as @auth/core does. v4
   * tokens name none, so each secret is tried in turn until one decrypts.
   */
  async function openWith(jwe: ParsedJwe, secrets: readonly Secret[], salt: string) {
    if (format.core) {
      for (const secret of jwe.kid === undefined ? secrets.slice(0, 1) : secrets) {
        const key = await keyFor(secret, salt, jwe.enc, jwe.kid !== undefined);
        if (jwe.kid === undefined || key.kid === jwe.kid) {
          return { secret, plaintext: await decrypt(jwe, key) };
        }
      }
      throw new TokenError("ERR_NO_MATCHING_SECRET", "no configured secret matches the token");
    }

    let failure: unknown;
    for (const secret of secrets) {
      try {
        return {
          secret,
          plaintext: await decrypt(jwe, await keyFor(secret, salt, jwe.enc, false)),
        };
      } catch (error) {
        // Only "this key does not open it" moves on to the next secret.
        const wrongKey = error instanceof TokenError && error.code === "ERR_JWE_DECRYPTION_FAILED";
        if (!wrongKey) throw error;
        failure = error;
      }
    }
    throw failure;
  }

  async function decode(params: DecodeParams): Promise<JWTLike | null> {
    const { token } = params;
    if (!token) return null;
    if (typeof token !== "string") {
      throw new TokenError("ERR_JWE_INVALID", "token must be a string");
    }

    const secrets = secretsOf(params.secret);
    const salt = saltOf(params.salt, format);

    let digest: string | undefined;
    if (memo) {
      digest = toBase64url(await engine.digest("SHA-256", utf8.encode(token)));
      const json = memo.get(digest, salt, secrets.map(secretId));
      if (json !== undefined) {
        counters.memoHits++;
        return JSON.parse(json) as JWTLike;
      }
    }

    const jwe = parse(token, format.reads);
    const { secret, plaintext } = await openWith(jwe, secrets, salt);
    const { text, claims, exp } = checkClaims(plaintext, jwe.header, now());

    if (memo && digest !== undefined && typeof exp === "number" && Number.isFinite(exp)) {
      memo.set(digest, {
        json: text,
        expiresAtMs: exp * 1000,
        salt,
        secret: secretId(secret),
        firstSecretOnly: format.core && jwe.kid === undefined,
      });
    }
    return claims;
  }

  return {
    encode,
    decode,
    stats: () => ({
      engine: engine.name,
      ...counters,
      derivations: ring.derivations,
      memoSize: memo?.size ?? 0,
    }),
  };
}

function createMemo(option: CodecOptions["memo"], now: () => number): DecodeMemo | null {
  if (option === false) return null;
  const max = option?.maxEntries ?? DEFAULT_MEMO_ENTRIES;
  return Number.isInteger(max) && max > 0 ? new DecodeMemo(max, now) : null;
}

/** The secrets, newest first. Auth.js takes one secret or a list of them for rotation. */
function secretsOf(secret: EncodeParams["secret"] | DecodeParams["secret"]): readonly Secret[] {
  const list = Array.isArray(secret) ? secret : [secret];
  const usable =
    list.length > 0 &&
    list.every((s) => (typeof s === "string" || s instanceof Uint8Array) && s.length > 0);
  if (!usable) throw new TypeError("a non-empty secret is needed for the session token");
  return list as readonly Secret[];
}

/** @auth/core salts with the cookie name and refuses to go without; v4 defaults to none. */
function saltOf(salt: unknown, format: Format): string {
  if (typeof salt === "string") return salt;
  if (salt === undefined && !format.core) return "";
  throw new TypeError('"salt" must be a string (the session cookie name)');
}
