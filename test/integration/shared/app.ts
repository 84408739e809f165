import type { AuthCache } from "../../../src/cache/types.js";
import type { Flavor, WithAuthCacheOptions } from "../../../src/next-auth/index.js";
import type { Browser } from "./browser.js";

/** A user of the test app's "database". */
export interface TestUser {
  id: string;
  name: string;
  email: string;
  [field: string]: unknown;
}

/** One call to the Auth.js logger, reduced to what the tests assert on. */
export interface LogEntry {
  level: "error" | "warn" | "debug";
  /** v4's code (`JWT_SESSION_ERROR`), or the error's type / name on @auth/core (`JWTSessionError`). */
  code: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the app callbacks are whatever a test needs
export type AnyCallback = (params: any) => unknown;

/** What a test configures; `callbacks` is read on every call, so a test can swap a callback. */
export interface AppSetup {
  cache: AuthCache;
  users: Map<string, TestUser>;
  callbacks?: { jwt?: AnyCallback; session?: AnyCallback };
  events?: { signOut?: AnyCallback };
  wrapper?: WithAuthCacheOptions;
  /** `false` runs the bare Auth.js options, without `withAuthCache`: the benchmark's baseline. */
  wrap?: boolean;
}

/** The app under test: the real Auth.js handler behind `withAuthCache`. */
export interface TestApp {
  flavor: Flavor;
  /** A new device with its own cookie jar. */
  browser(): Browser;
  /** What middleware sees: the library's own `getToken()` on these cookies (no jwt callback). */
  getToken(cookies: Record<string, string>): Promise<Record<string, unknown> | null>;
  /** Every Auth.js logger call of this app. */
  logs: LogEntry[];
  /** The wrapped options, for calling the callbacks directly. */
  options: {
    callbacks: { jwt: AnyCallback; session: AnyCallback };
    events: { signOut: AnyCallback };
  };
}

export type MakeApp = (setup: AppSetup) => TestApp;

/** Credentials check of the test app: password "pw" for every known user. */
export function authorizeFrom(users: Map<string, TestUser>) {
  return async (credentials: Record<string, unknown> | undefined) => {
    const user = users.get(String(credentials?.username ?? ""));
    return user && credentials?.password === "pw" ? { ...user } : null;
  };
}

/** The indirection that lets a test swap the app's callback after the options are built. */
export function appCallbacks(setup: AppSetup) {
  return {
    jwt: (params: unknown) =>
      setup.callbacks?.jwt ? setup.callbacks.jwt(params) : (params as { token: unknown }).token,
    session: (params: unknown) =>
      setup.callbacks?.session
        ? setup.callbacks.session(params)
        : (params as { session: unknown }).session,
    signOut: async (message: unknown) => {
      await setup.events?.signOut?.(message);
    },
  };
}
