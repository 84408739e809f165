/** The content encryptions of the two formats: next-auth v4 writes the first, Auth.js the second. */
export type ContentEncryption = "A256GCM" | "A256CBC-HS512";

/** Key and IV sizes of each content encryption, in bytes. */
export const CEK_BYTES: Record<ContentEncryption, number> = { A256GCM: 32, "A256CBC-HS512": 64 };
export const IV_BYTES: Record<ContentEncryption, number> = { A256GCM: 12, "A256CBC-HS512": 16 };

export interface Sealed {
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * The crypto a codec runs on. Node's engine answers synchronously; the Web Crypto one (edge
 * runtimes) with promises. Keys are the raw bytes a key ring keeps for the codec's lifetime, so an
 * engine may attach prepared key objects to them.
 */
export interface CryptoEngine {
  readonly name: "node" | "web";
  hkdf(secret: Uint8Array, salt: string, info: string, length: number): MaybePromise<Uint8Array>;
  digest(algorithm: "SHA-256" | "SHA-512", data: Uint8Array): MaybePromise<Uint8Array>;
  seal(
    enc: ContentEncryption,
    key: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): MaybePromise<Sealed>;
  /** The plaintext, or a `TokenError` ("ERR_JWE_DECRYPTION_FAILED") when the tag does not verify. */
  open(
    enc: ContentEncryption,
    key: Uint8Array,
    sealed: Sealed,
    aad: Uint8Array,
  ): MaybePromise<Uint8Array>;
}
