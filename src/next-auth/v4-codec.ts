import { type NodeCryptoLike, nodeCrypto } from "./node-crypto.js";
import type { EncodeParams } from "./types.js";

/**
 * A next-auth v4 compatible session-token encoder on Web Crypto.
 *
 * A clean v4 sign-out needs `jwt.encode` to answer "" for the signed-out token (v4 then sends
 * only the cookie-clearing headers). Replacing the option replaces v4's own encoder, and the
 * wrapper may not import next-auth, so the default format is reproduced here exactly: a compact
 * JWE, `dir` / `A256GCM`, under a 32-byte key derived with HKDF-SHA256 from the secret (info
 * "NextAuth.js Generated Encryption Key", plus " (<salt>)" when a salt is given), carrying the
 * claims plus `iat`, `exp` (now + maxAge) and a random `jti`. v4's `decode` and `getToken()` read
 * it unchanged. Derived keys are kept, so the HKDF runs once per secret rather than per request.
 */

const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;
const HEADER = base64url(new TextEncoder().encode(JSON.stringify({ alg: "dir", enc: "A256GCM" })));
const MAX_KEYS = 16;

const keys = new Map<string, Promise<CryptoKey>>();

/** Encodes `token` the way next-auth v4's default `jwt.encode` does. */
export async function encodeV4Token(
  params: EncodeParams,
  /** Which crypto to seal with; Node's by default when the runtime has it. */
  engine: "auto" | "web" = "auto",
): Promise<string> {
  const { token, maxAge = DEFAULT_MAX_AGE, salt = "" } = params;
  const secret = Array.isArray(params.secret) ? params.secret[0] : params.secret;
  if (typeof secret !== "string" || secret.length === 0) {
    throw new TypeError("a secret is needed to encode the session token");
  }

  const now = Math.floor(Date.now() / 1000);
  const payload = { ...token, iat: now, exp: now + maxAge, jti: crypto.randomUUID() };

  const node = engine === "auto" ? nodeCrypto() : undefined;
  if (node) return sealWithNode(node, secret, salt, JSON.stringify(payload));

  const key = await derivedKey(secret, salt);

  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(HEADER), tagLength: 128 },
      key,
      new TextEncoder().encode(JSON.stringify(payload)),
    ),
  );

  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  return `${HEADER}..${base64url(iv)}.${base64url(ciphertext)}.${base64url(tag)}`;
}

const rawKeys = new Map<string, Uint8Array>();
const AAD = new TextEncoder().encode(HEADER);

/** The same JWE through Node's synchronous AES-GCM, with the HKDF run once per secret. */
function sealWithNode(
  node: NodeCryptoLike,
  secret: string,
  salt: string,
  plaintext: string,
): string {
  const id = `${salt}\u0000${secret}`;
  let key = rawKeys.get(id);
  if (!key) {
    if (rawKeys.size >= MAX_KEYS) rawKeys.clear();
    key = new Uint8Array(node.hkdfSync("sha256", secret, salt, infoFor(salt), 32));
    rawKeys.set(id, key);
  }

  const iv = node.randomBytes(12);
  const cipher = node.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const head = cipher.update(plaintext, "utf8");
  const tail = cipher.final();
  const ciphertext = new Uint8Array(head.length + tail.length);
  ciphertext.set(head);
  ciphertext.set(tail, head.length);

  return `${HEADER}..${base64url(iv)}.${base64url(ciphertext)}.${base64url(cipher.getAuthTag())}`;
}

function infoFor(salt: string): string {
  return `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
}

function derivedKey(secret: string, salt: string): Promise<CryptoKey> {
  const id = `${salt}\u0000${secret}`;
  const known = keys.get(id);
  if (known) return known;

  if (keys.size >= MAX_KEYS) keys.clear();
  const derived = derive(secret, salt);
  keys.set(id, derived);
  derived.catch(() => keys.delete(id));
  return derived;
}

async function derive(secret: string, salt: string): Promise<CryptoKey> {
  const encoder = new TextEncoder();
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
    "deriveKey",
  ]);
  const info = infoFor(salt);

  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode(salt), info: encoder.encode(info) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt"],
  );
}

function base64url(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(e: string): string } } })
    .Buffer;
  if (B) return B.from(bytes).toString("base64url");

  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
