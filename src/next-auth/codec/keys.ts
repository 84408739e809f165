import { toBase64url, utf8 } from "./bytes.js";
import type { CryptoEngine } from "./engine.js";

/** A content-encryption key derived from one secret, with its JWK thumbprint once asked for. */
export interface DerivedKey {
  raw: Uint8Array;
  /** `kid` as Auth.js writes it: the RFC 7638 thumbprint of the key as an `oct` JWK. */
  kid?: string;
}

/** A secret as Auth.js accepts it: a string, or bytes (next-auth v4 also takes a Buffer). */
export type Secret = string | Uint8Array;

const MAX_KEYS = 32;

/**
 * Derived keys, kept per (secret, salt, info, length) so the HKDF runs once per secret and cookie
 * name instead of on every request. Bounded: an app has a handful of secrets and cookie names,
 * and a flood of distinct salts can only evict, never grow the map.
 */
export class KeyRing {
  private readonly keys = new Map<string, DerivedKey | Promise<DerivedKey>>();
  /** How many HKDF runs happened, for tests and metrics. */
  derivations = 0;

  constructor(private readonly engine: CryptoEngine) {}

  /** The key for `secret`, with `kid` filled in when `withKid`. */
  async get(
    secret: Secret,
    salt: string,
    info: string,
    length: number,
    withKid: boolean,
  ): Promise<DerivedKey> {
    const id = `${length}\u0000${salt}\u0000${info}\u0000${secretId(secret)}`;
    let entry = this.keys.get(id);
    if (!entry) {
      entry = this.derive(secret, salt, info, length);
      this.remember(id, entry);
    }

    const key = await entry;
    if (withKid && key.kid === undefined) key.kid = await this.thumbprint(key.raw);
    return key;
  }

  private async derive(secret: Secret, salt: string, info: string, length: number) {
    this.derivations++;
    const bytes = typeof secret === "string" ? utf8.encode(secret) : secret;
    return { raw: await this.engine.hkdf(bytes, salt, info, length) };
  }

  private remember(id: string, entry: DerivedKey | Promise<DerivedKey>): void {
    if (this.keys.size >= MAX_KEYS) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    this.keys.set(id, entry);

    // A failed derivation (a malformed secret) must not be remembered as the answer.
    if (entry instanceof Promise) entry.catch(() => this.keys.delete(id));
  }

  /** SHA-256 for a 32-byte key, SHA-512 for a 64-byte one, as Auth.js picks it. */
  private async thumbprint(raw: Uint8Array): Promise<string> {
    const jwk = `{"k":"${toBase64url(raw)}","kty":"oct"}`;
    const algorithm = raw.length === 64 ? "SHA-512" : "SHA-256";
    return toBase64url(await this.engine.digest(algorithm, utf8.encode(jwk)));
  }
}

/** A stable identity for a secret, for map keys and for the decode memo. */
export function secretId(secret: Secret): string {
  return typeof secret === "string" ? `s${secret}` : `b${toBase64url(secret)}`;
}
