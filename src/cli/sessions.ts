import { type Command, resolveUser, target } from "./command.js";
import { formatTime, table } from "./output.js";

/** `authcache sessions <userId|email>`: the user's live sessions, newest first. */
export const sessions: Command = async ({ conn, args, out }) => {
  const userId = await resolveUser(conn, target(args));
  const list = await conn.cache.listUserSessions(userId);

  out.data({ userId, sessions: list });
  if (list.length === 0) {
    out.line(`user ${userId} has no live sessions`);
    return 0;
  }

  out.line(`user ${userId}: ${list.length} live session${list.length === 1 ? "" : "s"}`);
  out.line(
    table(
      ["SESSION", "CREATED", "LAST SEEN", "EXPIRES", "USER AGENT"],
      list.map((s) => [
        s.sessionId,
        formatTime(s.createdAt),
        formatTime(s.lastSeenAt),
        formatTime(s.expiresAt),
        (s.userAgent ?? "-").slice(0, 48),
      ]),
    ),
  );
  return 0;
};
