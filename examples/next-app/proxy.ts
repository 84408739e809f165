import { isRevoked } from "authcache/next-auth";
import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { cache } from "./lib/cache";
import { authSecret } from "./lib/secret";

/**
 * Guards the private pages. `getToken()` only decodes the cookie, so a revoked session would
 * still decode fine: `isRevoked` asks authcache (one store round trip) whether it was signed out,
 * revoked from another device or caught by "sign out everywhere".
 *
 * Next.js runs this file on Node.js in the same process as the route handlers, and the shared
 * cache (lib/cache.ts) makes it see the same sessions, the in-memory store included.
 */
export async function proxy(req: NextRequest) {
  const token = await getToken({ req, secret: authSecret() });
  if (!token) return toSignIn(req, null);

  if (await isRevoked(cache(), token)) return toSignIn(req, "revoked");
  return NextResponse.next();
}

export const config = { matcher: ["/account/:path*", "/sessions/:path*"] };

function toSignIn(req: NextRequest, reason: "revoked" | null) {
  const url = new URL("/signin", req.url);
  url.searchParams.set("callbackUrl", req.nextUrl.pathname);
  if (reason) url.searchParams.set("reason", reason);

  const res = NextResponse.redirect(url);
  // A revoked cookie is useless from now on: drop it, and every chunk of it.
  if (reason) {
    for (const { name } of req.cookies.getAll()) {
      if (name.includes("next-auth.session-token")) res.cookies.delete(name);
    }
  }
  return res;
}
