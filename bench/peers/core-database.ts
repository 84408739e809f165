/**
 * @auth/core with the database session strategy over any adapter: the cookie carries an opaque
 * session token, and every GET session asks the adapter for the session and its user. Credentials
 * sign-in is refused with database sessions, so the visitor's session is created through the
 * adapter itself, as an OAuth or email sign-in would leave it, and then read through the handler.
 */
import { randomUUID } from "node:crypto";
import { Auth, type AuthConfig } from "@auth/core";
import type { Adapter } from "@auth/core/adapters";
import { BENCH_USER } from "../handler-reader.js";
import { expectUser, type SessionReader } from "../reader.js";

const ORIGIN = "http://localhost:3000";
const SECRET = "core-bench-secret-of-sufficient-length";
const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

export async function coreDatabaseReader(
  label: string,
  adapter: Adapter,
  close: () => Promise<void>,
): Promise<SessionReader> {
  if (!adapter.createUser || !adapter.createSession) {
    throw new Error(`${label}: the adapter cannot create users and sessions`);
  }
  const user = await adapter.createUser({
    id: randomUUID(),
    name: BENCH_USER.name,
    email: `${randomUUID()}@example.com`,
    emailVerified: null,
  });
  const sessionToken = randomUUID();
  await adapter.createSession({
    sessionToken,
    userId: user.id,
    expires: new Date(Date.now() + THIRTY_DAYS_MS),
  });

  const config: AuthConfig = {
    secret: SECRET,
    trustHost: true,
    basePath: "/api/auth",
    adapter,
    session: { strategy: "database" },
    providers: [],
    logger: { error: () => {}, warn: () => {}, debug: () => {} },
  };
  const cookie = `authjs.session-token=${sessionToken}`;

  const read = async () => {
    const response = await Auth(
      new Request(`${ORIGIN}/api/auth/session`, { headers: { cookie } }),
      config,
    );
    // The same work the JWT rows' driver does with each answer: body and cookies read.
    response.headers.getSetCookie();
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  };

  expectUser(label, await read());
  return { read, close };
}
