/**
 * Node's own crypto module when the runtime has one, reached without an import so that this
 * package still loads on edge runtimes (where the answer is `undefined` and Web Crypto is used).
 * Node's AES-GCM is synchronous: on the session path it saves the thread-pool hop that every
 * Web Crypto call makes, which costs more than the encryption itself for a small token.
 */
export interface NodeCryptoLike {
  hkdfSync(digest: string, ikm: string, salt: string, info: string, keylen: number): ArrayBuffer;
  randomBytes(size: number): Uint8Array;
  createCipheriv(
    algorithm: "aes-256-gcm",
    key: Uint8Array,
    iv: Uint8Array,
  ): {
    setAAD(data: Uint8Array): unknown;
    update(data: string, encoding: "utf8"): Uint8Array;
    final(): Uint8Array;
    getAuthTag(): Uint8Array;
  };
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
