import type { NodeCryptoLike } from "../node-crypto.js";
import { bitLength64, concat } from "./bytes.js";
import { type CryptoEngine, IV_BYTES, type Sealed } from "./engine.js";
import { TokenError } from "./errors.js";

/**
 * The codec's crypto on Node's synchronous primitives. A256CBC-HS512 is the composite of
 * RFC 7518 §5.2: the 64-byte key splits into an HMAC-SHA-512 key (first half) and an AES-256-CBC
 * key (second half); the tag is the first 32 bytes of the HMAC over AAD ‖ IV ‖ ciphertext ‖ AL,
 * AL being the AAD's length in bits as 64-bit big-endian. The tag is checked, in constant time,
 * before anything is decrypted.
 */
export function createNodeEngine(node: NodeCryptoLike): CryptoEngine {
  function cbcTag(macKey: Uint8Array, aad: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array) {
    const mac = node
      .createHmac("sha512", macKey)
      .update(aad)
      .update(iv)
      .update(ciphertext)
      .update(bitLength64(aad))
      .digest();
    return mac.subarray(0, 32);
  }

  return {
    name: "node",

    hkdf: (secret, salt, info, length) =>
      new Uint8Array(node.hkdfSync("sha256", secret, salt, info, length)),

    digest: (algorithm, data) =>
      node
        .createHash(algorithm === "SHA-256" ? "sha256" : "sha512")
        .update(data)
        .digest(),

    seal(enc, key, plaintext, aad): Sealed {
      const iv = node.randomBytes(IV_BYTES[enc]);

      if (enc === "A256GCM") {
        const cipher = node.createCipheriv("aes-256-gcm", key, iv);
        cipher.setAAD(aad);
        const ciphertext = concat(cipher.update(plaintext), cipher.final());
        return { iv, ciphertext, tag: cipher.getAuthTag() };
      }

      const cipher = node.createCipheriv("aes-256-cbc", key.subarray(32), iv);
      const ciphertext = concat(cipher.update(plaintext), cipher.final());
      return { iv, ciphertext, tag: cbcTag(key.subarray(0, 32), aad, iv, ciphertext) };
    },

    open(enc, key, { iv, ciphertext, tag }, aad): Uint8Array {
      try {
        if (enc === "A256GCM") {
          const decipher = node.createDecipheriv("aes-256-gcm", key, iv, { authTagLength: 16 });
          decipher.setAAD(aad);
          decipher.setAuthTag(tag);
          return concat(decipher.update(ciphertext), decipher.final());
        }

        const expected = cbcTag(key.subarray(0, 32), aad, iv, ciphertext);
        if (tag.length !== expected.length || !node.timingSafeEqual(tag, expected)) throw tag;
        const decipher = node.createDecipheriv("aes-256-cbc", key.subarray(32), iv);
        return concat(decipher.update(ciphertext), decipher.final());
      } catch {
        throw new TokenError("ERR_JWE_DECRYPTION_FAILED", "the session token did not decrypt");
      }
    },
  };
}
