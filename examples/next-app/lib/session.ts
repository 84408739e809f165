import { CLAIMS } from "authcache/next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Session } from "next-auth";
import { getToken } from "next-auth/jwt";
import { currentSession } from "./current";
import { authSecret } from "./secret";

export interface Current {
  user: Session["user"];
  /** The id authcache gave this sign-in: the key of this device's session. */
  sessionId: string | null;
}

/** The signed-in user and this device's session id, or a trip to the sign-in page. */
export async function requireSession(from: string): Promise<Current> {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(from)}`);

  return { user: session.user, sessionId: await currentSessionId() };
}

/** This request's session id, read from its cookie without running the jwt callback. */
async function currentSessionId(): Promise<string | null> {
  const req = { cookies: await cookies(), headers: await headers() };
  // getToken only reads `cookies.getAll()` and `headers`, which Next's request APIs provide.
  const token = await getToken({ req: req as never, secret: authSecret() });
  const id = token?.[CLAIMS.sessionId];
  return typeof id === "string" ? id : null;
}
