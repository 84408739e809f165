import { type Command, resolveUser, target } from "./command.js";
import { formatTime } from "./output.js";

/**
 * `authcache revoke-user <userId|email>`: "sign out everywhere". Every session of the user
 * that started before now is revoked by a watermark; sessions started afterwards are not.
 */
export const revokeUser: Command = async ({ conn, args, out }) => {
  const userId = await resolveUser(conn, target(args));
  const live = await conn.cache.listUserSessions(userId);
  const watermark = await conn.cache.revokeUserSessions(userId);

  out.data({ userId, revoked: live.length, watermark });
  out.line(
    `revoked ${live.length} live session${live.length === 1 ? "" : "s"} of user ${userId}` +
      ` (sessions started before ${formatTime(watermark)})`,
  );
  return 0;
};
