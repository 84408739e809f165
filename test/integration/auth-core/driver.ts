/**
 * Drives the real @auth/core handler in-process through its public API,
 * `Auth(new Request(...), config)`, the way next-auth v5 and the framework adapters call it.
 */
import { Auth, type AuthConfig } from "@auth/core";
import { getToken } from "@auth/core/jwt";
import Credentials from "@auth/core/providers/credentials";
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

export const SECRET = "core-test-secret-of-sufficient-length";
export const SESSION_COOKIE = "authjs.session-token";
const ORIGIN = "http://localhost:3000";

export const makeCoreApp = (setup: AppSetup): TestApp => {
  const logs: LogEntry[] = [];
  const app = appCallbacks(setup);

  const raw: AuthConfig = {
    secret: SECRET,
    trustHost: true,
    basePath: "/api/auth",
    session: { strategy: "jwt" },
    providers: [
      Credentials({
        credentials: { username: {}, password: {} },
        authorize: authorizeFrom(setup.users),
      }),
    ],
    callbacks: { jwt: app.jwt, session: app.session } as AuthConfig["callbacks"],
    events: { signOut: app.signOut },
    logger: {
      error: (error: Error) =>
        void logs.push({ level: "error", code: (error as { type?: string }).type ?? error.name }),
      warn: (code: string) => void logs.push({ level: "warn", code }),
      debug: (message: string) => void logs.push({ level: "debug", code: message }),
    },
  };
  const config =
    setup.wrap === false
      ? raw
      : withAuthCache(setup.cache, raw, { flavor: "auth-core", ...setup.wrapper });

  const transport = async (request: AuthRequest): Promise<AuthResponse> => {
    const headers = new Headers({ "X-Auth-Return-Redirect": "1" });
    const cookie = Object.entries(request.cookies)
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join("; ");
    if (cookie) headers.set("cookie", cookie);

    let body: string | undefined;
    if (request.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(request.form).toString();
    }

    const url = `${ORIGIN}/api/auth/${request.action.join("/")}`;
    const response = await Auth(
      new Request(url, { method: request.method, headers, body }),
      config,
    );
    const text = await response.text();

    return {
      status: response.status,
      body: text ? JSON.parse(text) : null,
      setCookies: parseSetCookies(response.headers.getSetCookie()),
    };
  };

  return {
    flavor: "auth-core",
    browser: () => new Browser(transport, SESSION_COOKIE),
    getToken: (cookies) => {
      const cookie = Object.entries(cookies)
        .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
        .join("; ");
      const req = new Request(`${ORIGIN}/`, { headers: { cookie } });
      return getToken({ req, secret: SECRET, secureCookie: false });
    },
    logs,
    options: config as unknown as TestApp["options"],
  };
};
