/**
 * Node's own crypto module when the runtime has one, reached without an import so that this
 * package still loads on edge runtimes (where the answer is `undefined` and Web Crypto is used).
 * Node's ciphers, HMAC and hashes are synchronous: on the session path they save the thread-pool
 * hop that every Web Crypto call makes, which costs more than the work itself for a small token.
 */
export interface NodeCryptoLike {
  hkdfSync(
    digest: string,
    ikm: string | Uint8Array,
    salt: string | Uint8Array,
    info: string | Uint8Array,
    keylen: number,
  ): ArrayBuffer;
  randomBytes(size: number): Uint8Array;
  createCipheriv(algorithm: NodeCipher, key: Uint8Array, iv: Uint8Array): NodeCipherStream;
  createDecipheriv(
    algorithm: NodeCipher,
    key: Uint8Array,
    iv: Uint8Array,
    options?: { authTagLength?: number },
  ): NodeDecipherStream;
  createHmac(digest: "sha512", key: Uint8Array): NodeDigest;
  createHash(digest: "sha256" | "sha512"): NodeDigest;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/** The ciphers the session-token formats use: v4's AES-GCM and Auth.js' AES-CBC half. */
export type NodeCipher = "aes-256-gcm" | "aes-256-cbc";

export interface NodeCipherStream {
  setAAD(data: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  getAuthTag(): Uint8Array;
}

export interface NodeDecipherStream {
  setAAD(data: Uint8Array): unknown;
  setAuthTag(tag: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}

export interface NodeDigest {
  update(data: Uint8Array | string): NodeDigest;
  digest(): Uint8Array;
}

let cached: NodeCryptoLike | null | undefined;

export function nodeCrypto(): NodeCryptoLike | undefined {
  if (cached === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    try {
      cached = (proc?.getBuiltinModule?.("node:crypto") as NodeCryptoLike | undefined) ?? null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
