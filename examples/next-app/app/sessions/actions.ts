"use server";

import { redirect } from "next/navigation";
import { cache } from "@/lib/cache";
import { requireSession } from "@/lib/session";
import { setRevokedBefore } from "@/lib/users";

/** Revokes one of the user's other devices. Its next request lands on the sign-in page. */
export async function revokeDevice(formData: FormData): Promise<void> {
  const { user, sessionId: current } = await requireSession("/sessions");
  const target = String(formData.get("sessionId") ?? "");

  let outcome = "revoked";
  try {
    // Only a session of this user may be revoked here: the id comes from the browser.
    const mine = await cache().listUserSessions(user.id);
    if (target === current || !mine.some((s) => s.sessionId === target)) {
      outcome = "unknown";
    } else {
      await cache().revokeSession(user.id, target);
    }
  } catch {
    outcome = "store-down";
  }
  redirect(`/sessions?done=${outcome}`);
}

/**
 * "Sign out everywhere else": every session of the user that started before now is revoked,
 * except this one. The watermark is also kept in the database, so it holds even if the cache is
 * flushed (authcache reads it back through `loadUser` as `revokedBefore`).
 */
export async function revokeOthers(): Promise<void> {
  const { user, sessionId } = await requireSession("/sessions");

  let outcome = "others";
  try {
    const watermark = await cache().revokeUserSessions(
      user.id,
      sessionId ? { except: sessionId } : undefined,
    );
    await setRevokedBefore(user.id, watermark);
    await cache()
      .invalidateUserProfile(user.id)
      .catch(() => undefined);
  } catch {
    outcome = "store-down";
  }
  redirect(`/sessions?done=${outcome}`);
}
