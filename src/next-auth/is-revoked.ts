import type { AuthCache } from "../cache/types.js";
import { readClaims } from "./claims.js";

/**
 * Whether a decoded session token may no longer be honoured: its session was signed out or
 * revoked, its user was signed out everywhere, or it carries no session the wrapper minted
 * (so nothing can confirm it). For middleware and route guards that read the cookie with
 * `getToken()`, which never runs the jwt callback. One store round trip; edge-safe.
 *
 * When the store cannot be asked, the cache's `onStoreDown` policy answers.
 *
 * @example
 * const token = await getToken({ req });
 * if (!token || (await isRevoked(cache, token))) return NextResponse.redirect(signInUrl);
 */
export async function isRevoked(cache: AuthCache, token: unknown): Promise<boolean> {
  const claims = readClaims(token);
  if (!claims) return true;

  try {
    const check = await cache.checkSession({
      sessionId: claims.sessionId,
      userId: claims.userId,
      issuedAt: claims.startedAt,
    });
    return check.revoked;
  } catch {
    return cache.options.onStoreDown === "deny";
  }
}
