import { isValidId } from "../cache/keys.js";
import { type Command, sessionIdArg } from "./command.js";
import { formatTtl } from "./output.js";

/**
 * `authcache revoke <sessionId>`: signs one session out everywhere it is used. The blacklist
 * entry lives until the session's token would have expired; when the cached token names the
 * user, the session also leaves the user's session list.
 *
 * An id the store does not know is blacklisted all the same (a session whose cached entries
 * expired is still valid in its cookie, and revoking a made-up id harms nothing), but the output
 * says so, since a typo looks exactly like that.
 */
export const revoke: Command = async ({ conn, args, out }) => {
  const sessionId = sessionIdArg(args);
  const { cache } = conn;

  // The session's keys share a slot: one read.
  const [raw, live] = await cache.store.get([
    cache.keys.session(sessionId),
    cache.keys.live(sessionId),
  ]);
  const claims = raw ? await cache.getJWTSession(sessionId) : null;
  const userId = isValidId(claims?.sub) ? claims.sub : undefined;
  const expiresAt = live ? Number(live) : undefined;
  const known = Boolean(raw || live);

  // Throws when the store does not acknowledge it: a revocation must not silently fail.
  if (userId) await cache.revokeSession(userId, sessionId, expiresAt);
  else await cache.blacklistSession(sessionId, { expiresAt });
  const ttlMs = await cache.store.ttl(cache.keys.blacklist(sessionId));

  out.data({ sessionId, revoked: true, known, userId: userId ?? null, blacklistTtlMs: ttlMs });
  out.line(
    known
      ? `revoked session ${sessionId} (blacklisted for ${formatTtl(ttlMs)})`
      : `revoked session ${sessionId} (it was not known to the store; blacklisted anyway for ${formatTtl(ttlMs)})`,
  );
  return 0;
};
