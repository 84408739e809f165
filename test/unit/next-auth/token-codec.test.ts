import { describe, expect, it } from "vitest";
import { createTokenCodec, type TokenCodec } from "../../../src/next-auth/index.js";

const SECRET = "memo-test-secret";
const SALT = "authjs.session-token";
const T0 = Date.parse("2030-01-01T00:00:00Z");

/** A codec on a clock the test moves by hand. */
function clocked(options: Parameters<typeof createTokenCodec>[0] = {}) {
  const clock = { ms: T0 };
  const codec = createTokenCodec({ flavor: "auth-core", now: () => clock.ms, ...options });
  return { clock, codec };
}

const read = (codec: TokenCodec, token: string, secret: string | string[] = SECRET, salt = SALT) =>
  codec.decode({ token, secret, salt });

for (const engine of ["auto", "web"] as const) {
  describe(`the token codec's decode memo (${engine === "auto" ? "Node crypto" : "Web Crypto"})`, () => {
    it("a second decode of the same cookie does no decryption and returns an equal, distinct object", async () => {
      const { codec } = clocked({ engine });
      const token = await codec.encode({
        token: { sub: "u1", roles: ["a"] },
        secret: SECRET,
        salt: SALT,
      });

      const first = await read(codec, token);
      const decrypts = codec.stats().decrypts;
      const second = await read(codec, token);

      expect(codec.stats().decrypts).toBe(decrypts);
      expect(codec.stats().memoHits).toBe(1);
      expect(second).toEqual(first);
      expect(second).not.toBe(first);

      // A callback that mutates the token it was given cannot reach the next request's copy.
      (second as { roles: string[] }).roles.push("mutated");
      (second as Record<string, unknown>).sub = "someone else";
      expect(await read(codec, token)).toEqual(first);
    });

    it("never serves an entry at or past the token's exp; a late decode decrypts afresh", async () => {
      const { clock, codec } = clocked({ engine });
      const token = await codec.encode({
        token: { sub: "u1" },
        secret: SECRET,
        salt: SALT,
        maxAge: 60,
      });
      const exp = (await read(codec, token))?.exp as number;

      clock.ms = exp * 1000 - 1;
      await read(codec, token);
      expect(codec.stats()).toMatchObject({ decrypts: 1, memoHits: 1 });

      // At exp the entry is gone: a fresh decode, which Auth.js' 15 s tolerance still accepts.
      clock.ms = exp * 1000;
      expect(await read(codec, token)).toMatchObject({ sub: "u1" });
      expect(codec.stats()).toMatchObject({ decrypts: 2, memoHits: 1 });

      clock.ms = (exp + 15) * 1000;
      await expect(read(codec, token)).rejects.toMatchObject({ code: "ERR_JWT_EXPIRED" });
      expect(codec.stats().memoHits).toBe(1);
    });

    it("serves a remembered cookie only under the cookie name and secrets that opened it", async () => {
      const { codec } = clocked({ engine });
      const token = await codec.encode({ token: { sub: "u1" }, secret: "old", salt: SALT });
      await read(codec, token, ["new", "old"]);

      await expect(read(codec, token, ["new", "old"], `__Secure-${SALT}`)).rejects.toThrow();
      await expect(read(codec, token, "new")).rejects.toMatchObject({
        code: "ERR_NO_MATCHING_SECRET",
      });
      expect(await read(codec, token, ["newer", "old"])).toMatchObject({ sub: "u1" });
      expect(codec.stats().memoHits).toBe(1);
    });

    it("stays within maxEntries, dropping the least recently used", async () => {
      const { codec } = clocked({ engine, memo: { maxEntries: 2 } });
      const tokens = await Promise.all(
        ["a", "b", "c"].map((sub) => codec.encode({ token: { sub }, secret: SECRET, salt: SALT })),
      );
      const [a = "", b = "", c = ""] = tokens;

      await read(codec, a);
      await read(codec, b);
      await read(codec, a); // a is now the most recent
      await read(codec, c); // evicts b
      expect(codec.stats().memoSize).toBe(2);

      const before = codec.stats().decrypts;
      await read(codec, a);
      expect(codec.stats().decrypts).toBe(before);
      await read(codec, b);
      expect(codec.stats().decrypts).toBe(before + 1);
    });

    it("decrypts every time when the memo is off", async () => {
      const { codec } = clocked({ engine, memo: false });
      const token = await codec.encode({ token: { sub: "u1" }, secret: SECRET, salt: SALT });
      await read(codec, token);
      await read(codec, token);
      expect(codec.stats()).toMatchObject({ decrypts: 2, memoHits: 0, memoSize: 0 });
    });

    it("derives each key once, however many cookies it seals and opens", async () => {
      const { codec } = clocked({ engine, memo: false });
      for (let i = 0; i < 20; i++) {
        const token = await codec.encode({ token: { sub: `u${i}` }, secret: SECRET, salt: SALT });
        await read(codec, token);
      }
      expect(codec.stats().derivations).toBe(1);
    });
  });
}
