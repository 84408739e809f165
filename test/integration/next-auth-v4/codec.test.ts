import jwtModule from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { encodeV4Token } from "../../../src/next-auth/v4-codec.js";

const SECRET = "codec-test-secret";

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
