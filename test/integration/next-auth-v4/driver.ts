/**
 * Drives the real next-auth v4 handler in-process through its public API,
 * `NextAuth(req, res, options)`, with a minimal Pages-Router-style request and response.
 */
import nextAuthModule, { type NextAuthOptions } from "next-auth";
import jwtModule from "next-auth/jwt";
import credentialsModule from "next-auth/providers/credentials";
import { withAuthCache } from "../../../src/next-auth/index.js";
import {
  type AppSetup,
  appCallbacks,
  authorizeFrom,
  type LogEntry,
  type TestApp,
} from "../shared/app.js";
import {
  type AuthRequest,
  type AuthResponse,
  Browser,
  parseSetCookies,
} from "../shared/browser.js";

export const SECRET = "v4-test-secret-of-sufficient-length";
export const SESSION_COOKIE = "next-auth.session-token";

process.env.NEXTAUTH_URL = "http://localhost:3000/api/auth";

// next-auth is CommonJS; under ESM its default export arrives wrapped once more.
const NextAuth = unwrap(nextAuthModule);
const CredentialsProvider = unwrap(credentialsModule);

function unwrap<M extends { default: unknown }>(mod: M): M["default"] {
  return (mod.default ?? mod) as M["default"];
}

/** A response object with what next-auth's API-route handler calls. */
class FakeResponse {
  statusCode = 200;
  body: unknown;
  readonly headers = new Map<string, string | string[]>();

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string | string[]) {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }
  getHeader(name: string) {
    return this.headers.get(name.toLowerCase());
  }
  send(body: unknown) {
    this.body = body;
    return this;
  }
  json(body: unknown) {
    this.body = body;
    return this;
  }
  end() {
    return this;
  }
}

export const makeV4App = (setup: AppSetup): TestApp => {
  const logs: LogEntry[] = [];
  const app = appCallbacks(setup);

  const raw: NextAuthOptions = {
    secret: SECRET,
    session: { strategy: "jwt" as const },
    providers: [
      CredentialsProvider({
        name: "Credentials",
        credentials: { username: { type: "text" }, password: { type: "password" } },
        authorize: authorizeFrom(setup.users),
      }),
    ],
    callbacks: { jwt: app.jwt, session: app.session } as NextAuthOptions["callbacks"],
    events: { signOut: app.signOut },
    logger: {
      error: (code: string) => void logs.push({ level: "error", code }),
      warn: (code: string) => void logs.push({ level: "warn", code }),
      debug: (code: string) => void logs.push({ level: "debug", code }),
    },
  };
  const options =
    setup.wrap === false
      ? raw
      : withAuthCache(setup.cache, raw, { flavor: "next-auth-v4", ...setup.wrapper });

  const transport = async (request: AuthRequest): Promise<AuthResponse> => {
    const req = {
      method: request.method,
      query: { nextauth: request.action },
      body: request.form ?? request.json ?? {},
      cookies: request.cookies,
      headers: {
        host: "localhost:3000",
        "content-type":
          request.json === undefined ? "application/x-www-form-urlencoded" : "application/json",
      },
    };
    const res = new FakeResponse();
    // biome-ignore lint/suspicious/noExplicitAny: the fake stands in for Next's API request/response
    await NextAuth(req as any, res as any, options);

    const raw = res.getHeader("set-cookie") ?? [];
    return {
      status: res.statusCode,
      body: res.body,
      setCookies: parseSetCookies(Array.isArray(raw) ? raw : [raw]),
    };
  };

  return {
    flavor: "next-auth-v4",
    browser: () => new Browser(transport, SESSION_COOKIE),
    getToken: (cookies) =>
      jwtModule.getToken({ req: { cookies, headers: {} } as never, secret: SECRET }),
    logs,
    options: options as unknown as TestApp["options"],
  };
};
