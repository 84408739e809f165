import { CLAIMS } from "authcache/next-auth";
import { cookies } from "next/headers";
import { cache } from "./cache";

/**
 * How the last sign-out in this browser ended, for the sign-in page's message: "revoked" when
 * the store holds the revocation (every server refuses every copy of the old cookie),
 * "unconfirmed" when the store could not take it (it was down): only this server knows, until
 * authcache manages to write it.
 */
export type SignOutOutcome = "revoked" | "unconfirmed";

const COOKIE = "demo-sign-out";

/**
 * The app's own `events.signOut`. authcache's wrapper runs first: it revokes the session and,
 * when the store does not acknowledge that, only logs a warning (the sign-out itself goes on).
 * Reading the blacklist entry straight from the store tells the two apart (the cache's own
 * `isSessionBlacklisted` also counts a revocation this server still holds in memory). The answer
 * rides to the sign-in page in a short-lived cookie: the browser chose that address beforehand.
 */
export async function recordSignOut(message: { token?: Record<string, unknown> | null }) {
  const sessionId = message.token?.[CLAIMS.sessionId];
  const jar = await cookies();
  if (typeof sessionId !== "string") {
    // No session of ours was in the cookie: there was nothing to revoke.
    jar.delete(COOKIE);
    return;
  }

  const c = cache();
  const revoked = await c.store
    .get([c.keys.blacklist(sessionId)])
    .then(([entry]) => entry != null)
    .catch(() => false);
  jar.set(COOKIE, revoked ? "revoked" : "unconfirmed", {
    path: "/signin",
    maxAge: 120,
    httpOnly: true,
    sameSite: "lax",
  });
}

/** The outcome of this browser's last sign-out, if it was in the last two minutes. */
export async function lastSignOut(): Promise<SignOutOutcome | null> {
  const value = (await cookies()).get(COOKIE)?.value;
  return value === "revoked" || value === "unconfirmed" ? value : null;
}
