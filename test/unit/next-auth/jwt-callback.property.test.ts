/**
 * Whatever token Auth.js decodes and whatever the app's own callback returns, the wrapped jwt
 * callback answers with the flavor's clean sign-out or a plain token with a string `sub` that
 * JSON and structuredClone carry unchanged, and never throws. The session callback given that
 * token never shows a session without a user.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createAuthCache } from "../../../src/cache/auth-cache.js";
import { CLAIMS, type Flavor, withAuthCache } from "../../../src/next-auth/index.js";
import { memoryStore } from "../../../src/stores/memory.js";

type Callback = (params: unknown) => Promise<unknown>;

const values = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  withBoxedValues: true,
  maxDepth: 3,
});

const hostile = fc.oneof(
  values,
  fc.constant(undefined),
  fc.constant(Symbol("s")),
  fc.func(fc.anything()),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
);

/** Token-like objects: arbitrary fields, and the wrapper's own claims in any shape. */
const tokenFields = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom("sub", "name", "email", "exp", ...Object.values(CLAIMS))),
  hostile,
  { maxKeys: 6 },
);

/** What the app's callback does with the token it is given. */
const appBehaviour = fc.oneof(
  fc.constant({ kind: "pass" as const }),
  fc.constant({ kind: "throw" as const }),
  fc.constant({ kind: "circular" as const }),
  fc.record({ kind: fc.constant("merge" as const), fields: tokenFields }),
  fc.record({ kind: fc.constant("replace" as const), value: hostile }),
);

type Behaviour = typeof appBehaviour extends fc.Arbitrary<infer B> ? B : never;

function runBehaviour(behaviour: Behaviour, token: Record<string, unknown>): unknown {
  switch (behaviour.kind) {
    case "pass":
      return token;
    case "throw":
      throw new Error("app failure");
    case "circular": {
      const out: Record<string, unknown> = { ...token };
      out.loop = { back: out };
      return out;
    }
    case "merge":
      return { ...token, ...behaviour.fields };
    case "replace":
      return behaviour.value;
  }
}

for (const flavor of ["next-auth-v4", "auth-core"] as Flavor[]) {
  describe(`the wrapped jwt callback (${flavor})`, () => {
    let behaviour: Behaviour = { kind: "pass" };
    let jwt: Callback;
    let session: Callback;
    let live: Record<string, unknown>;

    beforeAll(async () => {
      const cache = createAuthCache({ store: memoryStore(), secret: "property-secret" });
      const options = withAuthCache(
        cache,
        {
          callbacks: {
            jwt: ({ token }: { token: Record<string, unknown> }) => runBehaviour(behaviour, token),
          },
        },
        { flavor },
      );
      const callbacks = options.callbacks as Record<string, Callback>;
      jwt = callbacks.jwt as Callback;
      session = callbacks.session as Callback;

      const user = { id: "user-1", name: "Ada", email: "ada@example.com" };
      const token = { sub: "user-1", name: "Ada", email: "ada@example.com" };
      live = (await jwt({ token, user, trigger: "signIn" })) as Record<string, unknown>;
      expect(typeof live.sub).toBe("string");
    });

    function isSignOut(result: unknown): boolean {
      return flavor === "auth-core"
        ? result === null
        : JSON.stringify(result) === JSON.stringify({ [CLAIMS.signedOut]: 1 });
    }

    it("answers a clean sign-out or a plain, clone-safe token with a string sub", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            tokenFields,
            tokenFields.map((fields) => ({ ...live, ...fields })),
            hostile,
          ),
          appBehaviour,
          fc.constantFrom(undefined, "signIn", "signUp", "update"),
          fc.option(fc.oneof(hostile, fc.constant({ id: "user-2", name: "Bo" }))),
          async (token, app, trigger, user) => {
            behaviour = app;
            const params = {
              token,
              ...(trigger ? { trigger } : {}),
              ...(user === null ? {} : { user }),
            };
            const result = await jwt(params);

            if (isSignOut(result)) return;
            expect(result).not.toBeNull();
            expect(Object.getPrototypeOf(result)).toBe(Object.prototype);

            const token_ = result as Record<string, unknown>;
            expect(typeof token_.sub).toBe("string");
            expect(structuredClone(token_)).toEqual(token_);
            expect(JSON.parse(JSON.stringify(token_))).toEqual(token_);

            // Its session always names the user: never a session without one.
            const shown = (await session({ session: { user: {} }, token: token_ })) as {
              user?: { id?: unknown };
            };
            expect(shown.user?.id).toBe(token_.sub);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
}
