/**
 * next-auth v4's session-token format, reproduced: the encoder the wrapper installs for a clean
 * sign-out, and the full token codec in its v4 flavor, each checked against next-auth v4's own
 * `encode` / `decode` in both directions, on Node's crypto and on Web Crypto.
 */
import jwtModule, { type JWTOptions } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuthCache } from "../../../src/cache/auth-cache.js";
import {
  type AuthOptionsLike,
  createTokenCodec,
  withAuthCache,
} from "../../../src/next-auth/index.js";
import { encodeV4Token } from "../../../src/next-auth/v4-codec.js";
import { memoryStore } from "../../../src/stores/memory.js";
import { describeLifecycle } from "../shared/lifecycle-suite.js";
import { makeV4App } from "./driver.js";

const SECRET = "codec-test-secret";
const OLD = "codec-test-secret-old";
const CLAIMS = { sub: "u1", name: "Ada", acSid: "b".repeat(32) };

// The codec is a drop-in for v4's own `jwt` option: this line fails to compile otherwise.
const asOption: Partial<JWTOptions> = createTokenCodec({ flavor: "next-auth-v4" });

async function refused(attempt: () => Promise<unknown>): Promise<boolean> {
  try {
    await attempt();
    return false;
  } catch {
    return true;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the next-auth v4 token encoder", () => {
  for (const engine of ["auto", "web"] as const) {
    it(`writes tokens that next-auth v4's own decode reads (${engine === "auto" ? "Node crypto" : "Web Crypto"})`, async () => {
      const token = await encodeV4Token(
        { token: { sub: "u1", name: "Ada" }, secret: SECRET, maxAge: 60 },
        engine,
      );
      const decoded = await jwtModule.decode({ token, secret: SECRET });

      expect(decoded).toMatchObject({ sub: "u1", name: "Ada" });
      expect((decoded?.exp as number) - (decoded?.iat as number)).toBe(60);
      expect(typeof decoded?.jti).toBe("string");
    });

    it(`writes tokens under a salt that only the same salt opens (${engine})`, async () => {
      const token = await encodeV4Token(
        { token: { sub: "u1" }, secret: SECRET, salt: "s1" },
        engine,
      );

      expect(await jwtModule.decode({ token, secret: SECRET, salt: "s1" })).toMatchObject({
        sub: "u1",
      });
      await expect(jwtModule.decode({ token, secret: SECRET, salt: "other" })).rejects.toThrow();
    });
  }

  it("reads a token that next-auth v4 wrote, through the same decode (formats agree both ways)", async () => {
    const theirs = await jwtModule.encode({ token: { sub: "u2" }, secret: SECRET });
    const ours = await encodeV4Token({ token: { sub: "u2" }, secret: SECRET });

    expect(ours.split(".")[0]).toBe(theirs.split(".")[0]);
    expect(await jwtModule.decode({ token: theirs, secret: SECRET })).toMatchObject({ sub: "u2" });
  });
});

for (const engine of ["auto", "web"] as const) {
  const crypto = engine === "auto" ? "Node crypto" : "Web Crypto";

  describe(`the next-auth v4 token codec on ${crypto}`, () => {
    const codec = () => createTokenCodec({ flavor: "next-auth-v4", engine, memo: false });

    for (const salt of [undefined, "next-auth.session-token"]) {
      const named = salt ? `salt "${salt}"` : "no salt";

      it(`reads what next-auth v4 writes and writes what it reads (${named})`, async () => {
        const ours = await codec().encode({ token: CLAIMS, secret: SECRET, salt, maxAge: 120 });
        const theirs = await jwtModule.encode({ token: CLAIMS, secret: SECRET, salt });

        expect(codec().stats().engine).toBe(engine === "auto" ? "node" : "web");
        const decoded = await jwtModule.decode({ token: ours, secret: SECRET, salt });
        expect(decoded).toMatchObject(CLAIMS);
        expect((decoded?.exp as number) - (decoded?.iat as number)).toBe(120);
        expect(ours.split(".")[0]).toBe(theirs.split(".")[0]);
        expect(await codec().decode({ token: theirs, secret: SECRET, salt })).toEqual(
          await jwtModule.decode({ token: theirs, secret: SECRET, salt }),
        );
      });
    }

    it("keeps a cookie made under the old secret valid after rotation to [new, old]", async () => {
      const fromV4 = await jwtModule.encode({ token: CLAIMS, secret: OLD });
      expect(await codec().decode({ token: fromV4, secret: [SECRET, OLD] })).toMatchObject(CLAIMS);
      await expect(codec().decode({ token: fromV4, secret: SECRET })).rejects.toMatchObject({
        code: "ERR_JWE_DECRYPTION_FAILED",
      });

      // New cookies are sealed under the first secret, which is all v4 itself can be given.
      const rotated = await codec().encode({ token: CLAIMS, secret: [SECRET, OLD] });
      expect(await jwtModule.decode({ token: rotated, secret: SECRET })).toMatchObject(CLAIMS);
    });

    it("refuses tampered cookies and other salts, as next-auth v4 does", async () => {
      const token = await jwtModule.encode({ token: CLAIMS, secret: SECRET });
      const parts = token.split(".");
      for (const index of [0, 2, 3, 4]) {
        const part = parts[index] ?? "";
        const flipped = `${part.slice(0, 3)}${part[3] === "A" ? "B" : "A"}${part.slice(4)}`;
        const tampered = parts.map((p, i) => (i === index ? flipped : p)).join(".");
        expect(await refused(() => codec().decode({ token: tampered, secret: SECRET }))).toBe(true);
        expect(await refused(() => jwtModule.decode({ token: tampered, secret: SECRET }))).toBe(
          true,
        );
      }

      const salted = await jwtModule.encode({ token: CLAIMS, secret: SECRET, salt: "a" });
      await expect(codec().decode({ token: salted, secret: SECRET })).rejects.toMatchObject({
        code: "ERR_JWE_DECRYPTION_FAILED",
      });
      expect(await refused(() => jwtModule.decode({ token: salted, secret: SECRET }))).toBe(true);
    });

    it("rejects expired cookies exactly when next-auth v4 does: at exp + 15 s", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
      const token = await jwtModule.encode({ token: CLAIMS, secret: SECRET, maxAge: 60 });
      const exp = (await jwtModule.decode({ token, secret: SECRET }))?.exp as number;

      for (const at of [exp, exp + 14.999, exp + 15, exp + 3600]) {
        vi.setSystemTime(at * 1000);
        const ours = await refused(() => codec().decode({ token, secret: SECRET }));
        const theirs = await refused(() => jwtModule.decode({ token, secret: SECRET }));
        expect({ at: at - exp, refused: ours }).toEqual({ at: at - exp, refused: theirs });
      }
      await expect(codec().decode({ token, secret: SECRET })).rejects.toMatchObject({
        code: "ERR_JWT_EXPIRED",
      });
    });

    it("drops function claims silently, as next-auth v4 does", async () => {
      const ours = await codec().encode({ token: { sub: "u1", fn: () => 1 }, secret: SECRET });
      const decoded = await jwtModule.decode({ token: ours, secret: SECRET });
      expect(decoded?.sub).toBe("u1");
      expect(decoded).not.toHaveProperty("fn");
    });
  });
}

describe("withAuthCache's codec option on next-auth v4", () => {
  const cache = createAuthCache({ store: memoryStore() });
  const base = { secret: SECRET, providers: [] };

  it("installs the codec's decode and still encodes the signed-out token to no cookie", async () => {
    const wrapped = withAuthCache(cache, base, { codec: true }) as AuthOptionsLike;
    const jwt = wrapped.jwt as Required<NonNullable<AuthOptionsLike["jwt"]>>;
    expect(typeof jwt.decode).toBe("function");

    const token = await jwt.encode({ token: CLAIMS, secret: SECRET });
    expect(await jwtModule.decode({ token, secret: SECRET })).toMatchObject(CLAIMS);
    expect(await jwt.decode({ token, secret: SECRET })).toMatchObject(CLAIMS);
    expect(await jwt.encode({ token: { acOut: 1 }, secret: SECRET })).toBe("");
    expect(await jwt.encode({ token: null, secret: SECRET })).toBe("");
  });

  it("keeps an app's own decode, and then applies no codec", () => {
    const own = { decode: async () => null };
    const wrapped = withAuthCache(cache, { ...base, jwt: own }, { codec: true }) as AuthOptionsLike;
    expect(wrapped.jwt?.decode).toBe(own.decode);
  });

  it("type-checks as next-auth v4's own jwt option", () => {
    expect(typeof asOption.decode).toBe("function");
  });
});

describeLifecycle("next-auth v4", makeV4App, {
  label: "and the token codec",
  wrapper: { codec: true },
});
