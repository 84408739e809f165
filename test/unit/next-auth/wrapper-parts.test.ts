import { describe, expect, it } from "vitest";
import { createAuthCache } from "../../../src/cache/auth-cache.js";
import {
  CLAIMS,
  detectFlavor,
  isRevoked,
  toPlain,
  withAuthCache,
} from "../../../src/next-auth/index.js";
import { memoryStore } from "../../../src/stores/memory.js";

describe("toPlain makes token claims JSON- and clone-safe", () => {
  it("turns a BigInt into its exact decimal string", () => {
    expect(toPlain({ id: 2n ** 70n })).toEqual({ id: "1180591620717411303424" });
  });

  it("turns a Date into its ISO string and drops an invalid one", () => {
    expect(toPlain({ at: new Date(0), bad: new Date(Number.NaN) })).toEqual({
      at: "1970-01-01T00:00:00.000Z",
    });
  });

  it("drops functions, symbols, undefined and non-finite numbers; null inside arrays", () => {
    const value = { f: () => 1, s: Symbol("x"), u: undefined, n: Number.NaN, list: [() => 1, 1] };
    expect(toPlain(value)).toEqual({ list: [null, 1] });
  });

  it("drops a reference back to an enclosing object but keeps shared siblings", () => {
    const shared = { a: 1 };
    const value: Record<string, unknown> = { left: shared, right: shared };
    value.self = value;
    expect(toPlain(value)).toEqual({ left: { a: 1 }, right: { a: 1 } });
  });

  it("never lets a __proto__ field change the copy's prototype", () => {
    const out = toPlain(JSON.parse('{"__proto__": {"admin": true}, "a": 1}')) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { admin?: unknown }).admin).toBeUndefined();
  });

  it("survives a getter that throws", () => {
    const value = Object.defineProperty({ a: 1 }, "boom", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    expect(toPlain(value)).toEqual({ a: 1 });
  });
});

describe("detectFlavor tells the two libraries apart by their options", () => {
  it("takes @auth/core-only settings as @auth/core", () => {
    expect(detectFlavor({ trustHost: true })).toBe("auth-core");
    expect(detectFlavor({ basePath: "/api/auth" })).toBe("auth-core");
  });

  it("takes a provider passed as a bare function as @auth/core", () => {
    expect(detectFlavor({ providers: [() => ({})] })).toBe("auth-core");
  });

  it("takes everything else as next-auth v4", () => {
    expect(detectFlavor({ providers: [{ id: "credentials" }], session: { strategy: "jwt" } })).toBe(
      "next-auth-v4",
    );
  });
});

describe("isRevoked", () => {
  it("treats a token the wrapper did not mint as revoked: nothing can confirm it", async () => {
    const cache = createAuthCache({ store: memoryStore() });
    expect(await isRevoked(cache, { sub: "user-1" })).toBe(true);
    expect(await isRevoked(cache, undefined)).toBe(true);

    const minted = { sub: "user-1", [CLAIMS.sessionId]: "abc", [CLAIMS.startedAt]: Date.now() };
    expect(await isRevoked(cache, minted)).toBe(false);

    await cache.revokeSession("user-1", "abc");
    expect(await isRevoked(cache, minted)).toBe(true);
  });
});

describe("a damaged token", () => {
  async function signedIn() {
    const cache = createAuthCache({ store: memoryStore() });
    const options = withAuthCache(cache, {}, { flavor: "auth-core" });
    const jwt = (options.callbacks as Record<string, (p: unknown) => Promise<unknown>>).jwt!;
    const user = { id: "user-1", name: "Ada", email: "ada@example.com" };
    const token = (await jwt({ token: { sub: "user-1" }, user, trigger: "signIn" })) as Record<
      string,
      unknown
    >;
    return { jwt, token };
  }

  it("is recovered from the cached session when only its session id remains", async () => {
    const { jwt, token } = await signedIn();
    const { sub: _sub, [CLAIMS.startedAt]: _start, ...damaged } = token;

    const recovered = (await jwt({ token: damaged })) as Record<string, unknown>;
    expect(recovered.sub).toBe("user-1");
    expect(recovered[CLAIMS.sessionId]).toBe(token[CLAIMS.sessionId]);
    expect(recovered[CLAIMS.startedAt]).toBe(token[CLAIMS.startedAt]);
  });

  it("is not recovered for another user: a session id bound to user-1 cannot serve user-2", async () => {
    const { jwt, token } = await signedIn();
    const { [CLAIMS.startedAt]: _start, ...damaged } = token;

    expect(await jwt({ token: { ...damaged, sub: "user-2" } })).toBeNull();
  });

  it("with an unknown session id is signed out", async () => {
    const { jwt } = await signedIn();
    expect(await jwt({ token: { [CLAIMS.sessionId]: "0123456789abcdef" } })).toBeNull();
  });
});

describe("sessionOf", () => {
  it("names the user and session of a token authcache minted, and nothing for any other", async () => {
    const { sessionOf, CLAIMS } = await import("../../../src/next-auth/index.js");
    const token = { sub: "u1", [CLAIMS.sessionId]: "abc123", [CLAIMS.startedAt]: 1000 };

    expect(sessionOf(token)).toEqual({ userId: "u1", sessionId: "abc123", startedAt: 1000 });
    expect(sessionOf({ sub: "u1" })).toBeNull();
    expect(sessionOf(null)).toBeNull();
  });
});
