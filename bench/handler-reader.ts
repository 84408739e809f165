/**
 * A signed-in visitor of the in-process Auth.js apps (next-auth v4 or @auth/core, bare or behind
 * `withAuthCache`): it signs in once through the credentials flow, then reads its session the way
 * a browser does, cookie jar and all.
 */
import type { AuthCache } from "../src/cache/types.js";
import type { WithAuthCacheOptions } from "../src/next-auth/index.js";
import type { MakeApp, TestUser } from "../test/integration/shared/app.js";
import { expectUser, type SessionReader } from "./reader.js";

export const BENCH_USER: TestUser = {
  id: "u-bench",
  name: "Ada Lovelace",
  email: "ada@example.com",
  role: "admin",
};

export interface HandlerSetup {
  cache: AuthCache;
  /** `false` runs the bare library: the stateless JWT. */
  wrap: boolean;
  wrapper?: WithAuthCacheOptions;
}

export async function handlerReader(
  label: string,
  makeApp: MakeApp,
  setup: HandlerSetup,
): Promise<SessionReader> {
  const users = new Map([[BENCH_USER.id, { ...BENCH_USER }]]);
  const app = makeApp({ ...setup, users });
  const browser = app.browser();

  const signedIn = await browser.signIn({ username: BENCH_USER.id, password: "pw" });
  if (signedIn.status !== 200) throw new Error(`${label}: sign-in answered ${signedIn.status}`);
  expectUser(label, (await browser.session()).body);

  return {
    async read() {
      const response = await browser.session();
      // The browser keeps every response for the tests; a benchmark would only pile them up.
      browser.responses.length = 0;
      return response;
    },
    close: () => setup.cache.close(),
  };
}
