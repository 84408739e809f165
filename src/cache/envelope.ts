import { ENVELOPE_PREFIX, readVersion } from "../stores/types.js";
import type { SecretKeys } from "./secret-keys.js";
import { decodeValue, encodeValue } from "./value-codec.js";

/**
 * The versioned envelope around every stored value: `v1|<version>|<flag><body>`.
 *   flag "j": the body is the value-codec JSON;
 *   flag "e": the body is that JSON sealed with AES-GCM (base64url), bound to the key name;
 *   flag "t": a tombstone, left by an invalidation so an older in-flight write cannot land.
 * The version lets the store refuse a write that is older than what it holds.
 */
export type Opened =
  | { state: "value"; version: number; value: unknown }
  | { state: "tombstone"; version: number }
  | { state: "miss" };

export interface EnvelopeCodec {
  seal(value: unknown, version: number, key: string): Promise<string> | string;
  tombstone(version: number): string;
  open(text: string | null, key: string): Promise<Opened>;
}

export function createEnvelopeCodec(keys: SecretKeys, encrypt: boolean): EnvelopeCodec {
  return {
    seal(value, version, key) {
      const json = encodeValue(value);
      const head = `${ENVELOPE_PREFIX}${Math.max(0, Math.floor(version))}|`;
      if (!encrypt) return `${head}j${json}`;
      return keys.encrypt(json, key).then((sealed) => `${head}e${sealed}`);
    },

    tombstone(version) {
      return `${ENVELOPE_PREFIX}${Math.max(0, Math.floor(version))}|t`;
    },

    // Anything unreadable (a foreign value, a wrong key, a truncated write) is a miss, not an error:
    // the source of truth is always there to fall back on.
    async open(text, key) {
      if (text === null || !text.startsWith(ENVELOPE_PREFIX)) return { state: "miss" };

      const bar = text.indexOf("|", ENVELOPE_PREFIX.length);
      if (bar < 0) return { state: "miss" };

      const version = readVersion(text);
      const flag = text[bar + 1];
      const body = text.slice(bar + 2);

      try {
        if (flag === "t") return { state: "tombstone", version };
        if (flag === "j") return { state: "value", version, value: decodeValue(body) };
        if (flag === "e")
          return { state: "value", version, value: decodeValue(await keys.decrypt(body, key)) };
      } catch {
        return { state: "miss" };
      }
      return { state: "miss" };
    },
  };
}
