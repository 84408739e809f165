import { isValidId } from "../cache/keys.js";
import { CLAIMS } from "../next-auth/claims.js";
import { type Command, sessionIdArg } from "./command.js";
import { fields, formatTime, formatTtl } from "./output.js";

/**
 * `authcache inspect <sessionId>`: what the store holds for one session: its cached token
 * claims, whether it is revoked and why, and the remaining TTL of each of its entries. Tokens
 * carry ids and flags, not secrets, so the claims are shown as they are.
 */
export const inspect: Command = async ({ conn, args, out }) => {
  const sessionId = sessionIdArg(args);
  const { cache } = conn;
  const k = cache.keys;
  const names = ["session", "blacklist", "live", "keep"] as const;
  const keys = [k.session(sessionId), k.blacklist(sessionId), k.live(sessionId), k.keep(sessionId)];

  // The four keys share a slot: one read, then their TTLs.
  const [raw, bl, live, keep] = await cache.store.get(keys);
  const ttls = await Promise.all(keys.map((key) => cache.store.ttl(key)));
  const claims = raw ? await cache.getJWTSession(sessionId) : null;
  const cached = raw ? (claims ? "yes" : raw.endsWith("|t") ? "invalidated" : "unreadable") : "no";

  const userId = isValidId(claims?.sub) ? claims.sub : null;
  const startedAt = Number(claims?.[CLAIMS.startedAt] ?? Number.NaN);
  const [wm] = userId ? await cache.store.get([k.watermark(userId)]) : [null];
  const watermark = wm ? Number(wm) : null;

  let revoked: string | null = null;
  if (bl) revoked = "blacklisted";
  else if (watermark && startedAt < watermark && Number(keep ?? 0) < watermark)
    revoked = "user-revoked";

  const ttlMs = Object.fromEntries(names.map((name, i) => [name, ttls[i] ?? null]));
  out.data({
    sessionId,
    cached,
    claims,
    userId,
    revoked: revoked !== null,
    reason: revoked,
    blacklistedAt: bl ? Number(bl) : null,
    expiresAt: live ? Number(live) : null,
    userRevokedBefore: watermark,
    ttlMs,
  });

  out.line(
    fields([
      ["session", sessionId],
      ["cached token", `${cached}${raw ? ` (ttl ${formatTtl(ttlMs.session)})` : ""}`],
      ["user", userId ?? "-"],
      ["revoked", revoked ? `yes: ${revoked}` : "no"],
      [
        "blacklisted",
        bl ? `since ${formatTime(Number(bl))} (ttl ${formatTtl(ttlMs.blacklist)})` : "no",
      ],
      ["expires", live ? `${formatTime(Number(live))} (ttl ${formatTtl(ttlMs.live)})` : "-"],
      ["user watermark", formatTime(watermark)],
    ]),
  );
  if (cached === "unreadable") out.line("the value is encrypted or foreign: pass the app's secret");
  if (claims) {
    out.line("claims:");
    out.line(JSON.stringify(claims, null, 2).replace(/^/gm, "  "));
  }
  return 0;
};
