import { isValidId } from "../cache/keys.js";
import { type Command, sessionIdArg } from "./command.js";
import { formatTtl } from "./output.js";

/**
 * `authcache revoke <sessionId>`: signs one session out everywhere it is used. The blacklist
 * entry lives until the session's token would have expired; when the cached token names the
 * user, the session also leaves the user's session list.
 */
export const revoke: Command = async ({ conn, args, out }) => {
  const sessionId = sessionIdArg(args);
  const { cache } = conn;

  const [live] = await cache.store.get([cache.keys.live(sessionId)]);
  const claims = await cache.getJWTSession(sessionId);
  const userId = isValidId(claims?.sub) ? claims.sub : undefined;
  const expiresAt = live ? Number(live) : undefined;

  // Throws when the store does not acknowledge it: a revocation must not silently fail.
  if (userId) await cache.revokeSession(userId, sessionId, expiresAt);
  else await cache.blacklistSession(sessionId, { expiresAt });
  const ttlMs = await cache.store.ttl(cache.keys.blacklist(sessionId));

  out.data({ sessionId, revoked: true, userId: userId ?? null, blacklistTtlMs: ttlMs });
  out.line(`revoked session ${sessionId} (blacklisted for ${formatTtl(ttlMs)})`);
  return 0;
};
