/**
 * The token codec in its @auth/core flavor against @auth/core's own `encode` / `decode`: cookies
 * cross in both directions, under both cookie names, with rotated secrets, and are refused in the
 * same cases (expired, tampered with, other cookie name), on Node's crypto and on Web Crypto.
 */

import { decode, encode, type JWTOptions } from "@auth/core/jwt";
import { hkdf } from "@panva/hkdf";
import { EncryptJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuthCache } from "../../../src/cache/auth-cache.js";
import {
  type AuthOptionsLike,
  createTokenCodec,
  type TokenCodec,
  withAuthCache,
} from "../../../src/next-auth/index.js";
import { memoryStore } from "../../../src/stores/memory.js";
import { describeLifecycle } from "../shared/lifecycle-suite.js";
import { makeCoreApp } from "./driver.js";

const NEW = "core-codec-secret-new-of-sufficient-length";
const OLD = "core-codec-secret-old-of-sufficient-length";
const SALTS = ["authjs.session-token", "__Secure-authjs.session-token"];
const CLAIMS = { sub: "u1", name: "Ada", email: "ada@example.com", acSid: "a".repeat(32) };

// The codec is a drop-in for Auth.js' own `jwt` option: this line fails to compile otherwise.
const asOption: Partial<JWTOptions> = createTokenCodec({ flavor: "auth-core" });

const header = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()) as Record<
    string,
    unknown
  >;

/** Runs `attempt` and reports whether it threw, so two decoders' verdicts can be compared. */
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

for (const engine of ["auto", "web"] as const) {
  const crypto = engine === "auto" ? "Node crypto" : "Web Crypto";

  describe(`the @auth/core token codec on ${crypto}`, () => {
    const codec = () => createTokenCodec({ flavor: "auth-core", engine, memo: false });

    for (const salt of SALTS) {
      it(`writes cookies @auth/core's decode reads, with its header and times (${salt})`, async () => {
        const ours = await codec().encode({ token: CLAIMS, secret: NEW, salt, maxAge: 3600 });
        const theirs = await encode({ token: CLAIMS, secret: NEW, salt, maxAge: 3600 });

        expect(codec().stats().engine).toBe(engine === "auto" ? "node" : "web");
        const decoded = await decode({ token: ours, secret: NEW, salt });
        expect(decoded).toMatchObject(CLAIMS);
        expect((decoded?.exp as number) - (decoded?.iat as number)).toBe(3600);
        expect(decoded?.jti).toMatch(/^[0-9a-f-]{36}$/);
        expect(header(ours)).toEqual(header(theirs));
        expect(header(ours)).toMatchObject({ alg: "dir", enc: "A256CBC-HS512" });
        expect(ours.split(".")[1]).toBe("");
      });

      it(`reads cookies @auth/core's encode wrote (${salt})`, async () => {
        const theirs = await encode({ token: CLAIMS, secret: NEW, salt });
        expect(await codec().decode({ token: theirs, secret: NEW, salt })).toEqual(
          await decode({ token: theirs, secret: NEW, salt }),
        );
      });

      it(`keeps a cookie made under the old secret valid after rotation to [new, old] (${salt})`, async () => {
        const fromCore = await encode({ token: CLAIMS, secret: OLD, salt });
        const fromUs = await codec().encode({ token: CLAIMS, secret: OLD, salt });

        for (const token of [fromCore, fromUs]) {
          expect(await codec().decode({ token, secret: [NEW, OLD], salt })).toMatchObject(CLAIMS);
          expect(await decode({ token, secret: [NEW, OLD], salt })).toMatchObject(CLAIMS);
          await expect(codec().decode({ token, secret: NEW, salt })).rejects.toMatchObject({
            code: "ERR_NO_MATCHING_SECRET",
          });
          await expect(decode({ token, secret: NEW, salt })).rejects.toThrow();
        }

        // New cookies are sealed under the first secret: readable once the old one is dropped.
        const rotated = await codec().encode({ token: CLAIMS, secret: [NEW, OLD], salt });
        expect(await decode({ token: rotated, secret: NEW, salt })).toMatchObject(CLAIMS);
        expect(header(rotated).kid).toBe(
          header(await encode({ token: CLAIMS, secret: [NEW, OLD], salt })).kid,
        );
      });
    }

    it("refuses a cookie made for the other cookie name, as @auth/core does", async () => {
      const [plain = "", secure = ""] = SALTS;
      const ours = await codec().encode({ token: CLAIMS, secret: NEW, salt: plain });
      const theirs = await encode({ token: CLAIMS, secret: NEW, salt: plain });

      for (const token of [ours, theirs]) {
        await expect(codec().decode({ token, secret: NEW, salt: secure })).rejects.toMatchObject({
          name: "TokenError",
        });
        await expect(decode({ token, secret: NEW, salt: secure })).rejects.toThrow();
      }
    });

    it("refuses every tampered part of a cookie, as @auth/core does", async () => {
      const salt = SALTS[0] ?? "";
      const token = await codec().encode({ token: CLAIMS, secret: NEW, salt });
      const parts = token.split(".");

      for (const index of [0, 2, 3, 4]) {
        const part = parts[index] ?? "";
        const flipped = `${part.slice(0, 5)}${part[5] === "A" ? "B" : "A"}${part.slice(6)}`;
        const tampered = parts.map((p, i) => (i === index ? flipped : p)).join(".");

        expect(await refused(() => codec().decode({ token: tampered, secret: NEW, salt }))).toBe(
          true,
        );
        expect(await refused(() => decode({ token: tampered, secret: NEW, salt }))).toBe(true);
      }
      await expect(codec().decode({ token: `${token}x`, secret: NEW, salt })).rejects.toMatchObject(
        { code: "ERR_JWE_DECRYPTION_FAILED" },
      );
      await expect(codec().decode({ token: "a.b.c", secret: NEW, salt })).rejects.toMatchObject({
        code: "ERR_JWE_INVALID",
      });
    });

    it("rejects expired cookies exactly when @auth/core does: at exp + 15 s, not a second before", async () => {
      const salt = SALTS[0] ?? "";
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
      const token = await encode({ token: CLAIMS, secret: NEW, salt, maxAge: 60 });
      const exp = (await decode({ token, secret: NEW, salt }))?.exp as number;

      for (const at of [exp - 1, exp, exp + 14, exp + 14.999, exp + 15, exp + 16, exp + 3600]) {
        vi.setSystemTime(at * 1000);
        const ours = await refused(() => codec().decode({ token, secret: NEW, salt }));
        const theirs = await refused(() => decode({ token, secret: NEW, salt }));
        expect({ at: at - exp, refused: ours }).toEqual({ at: at - exp, refused: theirs });
        expect(ours).toBe(at >= exp + 15);
      }
      await expect(codec().decode({ token, secret: NEW, salt })).rejects.toMatchObject({
        code: "ERR_JWT_EXPIRED",
      });
    });

    it("answers null for no cookie, and throws on a missing salt or secret", async () => {
      const c = codec();
      expect(await c.decode({ token: "", secret: NEW, salt: "s" })).toBeNull();
      expect(await c.decode({ token: undefined, secret: NEW, salt: "s" })).toBeNull();
      await expect(c.encode({ token: CLAIMS, secret: NEW })).rejects.toThrow(TypeError);
      await expect(c.encode({ token: CLAIMS, secret: "", salt: "s" })).rejects.toThrow(TypeError);
    });

    it("treats odd claims as @auth/core does: Dates become strings, functions fail", async () => {
      const salt = SALTS[0] ?? "";
      const at = new Date("2030-01-01T00:00:00Z");
      const ours = await codec().encode({ token: { sub: "u1", at }, secret: NEW, salt });
      expect((await decode({ token: ours, secret: NEW, salt }))?.at).toBe(at.toISOString());

      const withFunction = { sub: "u1", fn: () => 1 };
      expect(await refused(() => codec().encode({ token: withFunction, secret: NEW, salt }))).toBe(
        await refused(() => encode({ token: withFunction, secret: NEW, salt })),
      );
      await expect(codec().encode({ token: [] as never, secret: NEW, salt })).rejects.toThrow(
        "JWT Claims Set MUST be an object",
      );
    });

    it("reads the other forms @auth/core's decode accepts: A256GCM, no kid (first secret only), zip", async () => {
      const salt = SALTS[0] ?? "";
      const info = `Auth.js Generated Encryption Key (${salt})`;
      const seal = async (secret: string, protectedHeader: Record<string, string>, bytes: number) =>
        new EncryptJWT({ ...CLAIMS })
          .setProtectedHeader({ alg: "dir", ...protectedHeader } as never)
          .setIssuedAt()
          .setExpirationTime("1h")
          .encrypt(await hkdf("sha256", secret, salt, info, bytes));

      const gcm = await seal(NEW, { enc: "A256GCM" }, 32);
      const zipped = await seal(NEW, { enc: "A256CBC-HS512", zip: "DEF" }, 64);
      for (const token of [gcm, zipped]) {
        expect(await decode({ token, secret: NEW, salt })).toMatchObject(CLAIMS);
        expect(await codec().decode({ token, secret: NEW, salt })).toMatchObject(CLAIMS);
      }

      // Without a kid, @auth/core tries the first secret only; a token of the second is refused.
      const kidless = await seal(OLD, { enc: "A256CBC-HS512" }, 64);
      expect(await codec().decode({ token: kidless, secret: [OLD, NEW], salt })).toMatchObject(
        CLAIMS,
      );
      expect(await refused(() => decode({ token: kidless, secret: [NEW, OLD], salt }))).toBe(true);
      expect(
        await refused(() => codec().decode({ token: kidless, secret: [NEW, OLD], salt })),
      ).toBe(true);
    });
  });
}

describe("the @auth/core token codec on an edge runtime (no Buffer, no Node crypto)", () => {
  it("still writes and reads the cookies @auth/core does", async () => {
    const salt = SALTS[1] ?? "";
    const getBuiltinModule = process.getBuiltinModule;
    vi.resetModules();
    vi.stubGlobal("Buffer", undefined);
    Object.assign(process, { getBuiltinModule: undefined });
    let codec: TokenCodec;
    try {
      const edge = await import("../../../src/next-auth/codec/token-codec.js");
      codec = edge.createTokenCodec({ flavor: "auth-core" });
      expect(codec.stats()).toMatchObject({ engine: "web" });
    } finally {
      vi.unstubAllGlobals();
      Object.assign(process, { getBuiltinModule });
    }

    const claims = { ...CLAIMS, name: "Zoë ✓" };
    const ours = await codec.encode({ token: claims, secret: NEW, salt });
    expect(await decode({ token: ours, secret: NEW, salt })).toMatchObject(claims);
    const theirs = await encode({ token: claims, secret: NEW, salt });
    expect(await codec.decode({ token: theirs, secret: NEW, salt })).toMatchObject(claims);
  });
});

describe("withAuthCache's codec option on @auth/core", () => {
  const cache = createAuthCache({ store: memoryStore() });
  const base = { secret: NEW, trustHost: true, providers: [] };

  it("installs the codec's encode and decode when asked", () => {
    const wrapped = withAuthCache(cache, base, { codec: true });
    expect(typeof (wrapped as AuthOptionsLike).jwt?.encode).toBe("function");
    expect(typeof (wrapped as AuthOptionsLike).jwt?.decode).toBe("function");
    expect((withAuthCache(cache, base) as AuthOptionsLike).jwt).toBeUndefined();
  });

  it("keeps an app's own encode and decode, and then applies no codec", () => {
    const own = { encode: async () => "own", decode: async () => null };
    const wrapped = withAuthCache(cache, { ...base, jwt: own }, { codec: true });
    expect((wrapped as AuthOptionsLike).jwt?.encode).toBe(own.encode);
    expect((wrapped as AuthOptionsLike).jwt?.decode).toBe(own.decode);
  });

  it("type-checks as @auth/core's own jwt option", () => {
    expect(typeof asOption.encode).toBe("function");
  });
});

describeLifecycle("@auth/core", makeCoreApp, {
  label: "and the token codec",
  wrapper: { codec: true },
});
