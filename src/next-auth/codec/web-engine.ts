import { bitLength64, concat, constantTimeEqual, utf8 } from "./bytes.js";
import { type ContentEncryption, type CryptoEngine, IV_BYTES, type Sealed } from "./engine.js";
import { TokenError } from "./errors.js";

/** Web Crypto's typings want bytes over an `ArrayBuffer`; every buffer here is one. */
const src = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

interface PreparedKey {
  aes: CryptoKey;
  /** The HMAC-SHA-512 half of an A256CBC-HS512 key. */
  mac?: CryptoKey;
}

/**
 * The codec's crypto on Web Crypto, for edge runtimes. Same formats as the Node engine; the
 * CryptoKeys are imported once per derived key (the key ring keeps the raw bytes alive), since an
 * import costs about as much as sealing a token.
 */
export function createWebEngine(): CryptoEngine {
  const prepared = new WeakMap<Uint8Array, Promise<PreparedKey>>();
  const subtle = crypto.subtle;

  function prepare(enc: ContentEncryption, key: Uint8Array): Promise<PreparedKey> {
    let entry = prepared.get(key);
    if (!entry) {
      entry = importFor(enc, key);
      prepared.set(key, entry);
    }
    return entry;
  }

  async function importFor(enc: ContentEncryption, key: Uint8Array): Promise<PreparedKey> {
    const usages: KeyUsage[] = ["encrypt", "decrypt"];
    if (enc === "A256GCM")
      return { aes: await subtle.importKey("raw", src(key), "AES-GCM", false, usages) };

    const [aes, mac] = await Promise.all([
      subtle.importKey("raw", src(key.subarray(32)), "AES-CBC", false, usages),
      subtle.importKey("raw", src(key.subarray(0, 32)), { name: "HMAC", hash: "SHA-512" }, false, [
        "sign",
      ]),
    ]);
    return { aes, mac };
  }

  async function cbcTag(mac: CryptoKey, aad: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array) {
    const data = concat(aad, iv, ciphertext, bitLength64(aad));
    return new Uint8Array(await subtle.sign("HMAC", mac, src(data))).subarray(0, 32);
  }

  return {
    name: "web",

    async hkdf(secret, salt, info, length) {
      const material = await subtle.importKey("raw", src(secret), "HKDF", false, ["deriveBits"]);
      const params = {
        name: "HKDF",
        hash: "SHA-256",
        salt: utf8.encode(salt),
        info: utf8.encode(info),
      };
      return new Uint8Array(await subtle.deriveBits(params, material, length * 8));
    },

    async digest(algorithm, data) {
      return new Uint8Array(await subtle.digest(algorithm, src(data)));
    },

    async seal(enc, key, plaintext, aad): Promise<Sealed> {
      const { aes, mac } = await prepare(enc, key);
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES[enc]));

      if (!mac) {
        const params = { name: "AES-GCM", iv, additionalData: src(aad), tagLength: 128 };
        const sealed = new Uint8Array(await subtle.encrypt(params, aes, src(plaintext)));
        return { iv, ciphertext: sealed.subarray(0, -16), tag: sealed.subarray(-16) };
      }

      const ciphertext = new Uint8Array(
        await subtle.encrypt({ name: "AES-CBC", iv }, aes, src(plaintext)),
      );
      return { iv, ciphertext, tag: await cbcTag(mac, aad, iv, ciphertext) };
    },

    async open(enc, key, { iv, ciphertext, tag }, aad) {
      const { aes, mac } = await prepare(enc, key);
      try {
        if (!mac) {
          const params = { name: "AES-GCM", iv, additionalData: src(aad), tagLength: 128 };
          return new Uint8Array(await subtle.decrypt(params, aes, src(concat(ciphertext, tag))));
        }

        const expected = await cbcTag(mac, aad, iv, ciphertext);
        if (!constantTimeEqual(tag, expected)) throw tag;
        return new Uint8Array(
          await subtle.decrypt({ name: "AES-CBC", iv: src(iv) }, aes, src(ciphertext)),
        );
      } catch {
        throw new TokenError("ERR_JWE_DECRYPTION_FAILED", "the session token did not decrypt");
      }
    },
  };
}
