import { MissingSecretError } from "../errors.js";

/**
 * Keys derived from the app's secret with Web Crypto (so the core runs on edge runtimes): one
 * HMAC key that turns emails into opaque key material, one AES-GCM key for value encryption.
 * Each is derived once per cache and reused.
 */
export interface SecretKeys {
  hmac(text: string): Promise<string>;
  encrypt(plain: string, aad: string): Promise<string>;
  decrypt(sealed: string, aad: string): Promise<string>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createSecretKeys(secret: string | undefined): SecretKeys {
  let hmacKey: Promise<CryptoKey> | undefined;
  let aesKey: Promise<CryptoKey> | undefined;

  const base = (feature: string) => {
    if (!secret) throw new MissingSecretError(feature);
    return crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  };

  const derive = async (
    feature: string,
    info: string,
    algorithm: HmacImportParams | AesKeyGenParams,
    usages: KeyUsage[],
  ) =>
    crypto.subtle.deriveKey(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: encoder.encode("authcache"),
        info: encoder.encode(info),
      },
      await base(feature),
      algorithm,
      false,
      usages,
    );

  const getHmacKey = () => {
    hmacKey ??= derive(
      "email keys",
      "authcache email key",
      { name: "HMAC", hash: "SHA-256", length: 256 },
      ["sign"],
    );
    return hmacKey;
  };
  const getAesKey = () => {
    aesKey ??= derive("value encryption", "authcache value key", { name: "AES-GCM", length: 256 }, [
      "encrypt",
      "decrypt",
    ]);
    return aesKey;
  };

  return {
    async hmac(text) {
      const sig = await crypto.subtle.sign("HMAC", await getHmacKey(), encoder.encode(text));
      return toBase64Url(new Uint8Array(sig));
    },

    async encrypt(plain, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const params = { name: "AES-GCM", iv, additionalData: encoder.encode(aad) };
      const sealed = await crypto.subtle.encrypt(params, await getAesKey(), encoder.encode(plain));
      const out = new Uint8Array(iv.length + sealed.byteLength);
      out.set(iv);
      out.set(new Uint8Array(sealed), iv.length);
      return toBase64Url(out);
    },

    // The key name is bound as additional data, so a value copied to another key fails to open.
    async decrypt(sealed, aad) {
      const bytes = fromBase64Url(sealed);
      const params = {
        name: "AES-GCM",
        iv: bytes.slice(0, 12),
        additionalData: encoder.encode(aad),
      };
      const plain = await crypto.subtle.decrypt(params, await getAesKey(), bytes.slice(12));
      return decoder.decode(plain);
    },
  };
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
