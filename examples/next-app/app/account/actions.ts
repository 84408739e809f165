"use server";

import { redirect } from "next/navigation";
import { cache } from "@/lib/cache";
import { requireSession } from "@/lib/session";
import { loadProfile, ROLES, type Role, updateProfile } from "@/lib/users";

/**
 * Saves the profile in the database, then refreshes authcache's copy. The session cookie is not
 * touched: the next request shows the change because the cached profile changed.
 */
export async function saveProfile(formData: FormData): Promise<void> {
  const { user } = await requireSession("/account");
  const name = String(formData.get("name") ?? "").trim();
  const role = String(formData.get("role") ?? "");

  if (name.length < 1 || name.length > 80) redirect("/account?error=name");
  if (!ROLES.includes(role as Role)) redirect("/account?error=role");

  await updateProfile(user.id, { name, role: role as Role });
  const outcome = await refreshCachedProfile(user.id);
  redirect(`/account?saved=${outcome}`);
}

/**
 * Writes the fresh profile to the cache so the next read is a hit. If the store cannot take it,
 * the cached copy is dropped instead; if the store is down altogether, reads fall back to the
 * database anyway, so the change still shows.
 */
async function refreshCachedProfile(userId: string): Promise<"cached" | "store-down"> {
  const fresh = await loadProfile(userId);
  try {
    if (fresh) await cache().cacheUserProfile(userId, fresh);
    else await cache().invalidateUserProfile(userId);
    return "cached";
  } catch {
    await cache()
      .invalidateUserProfile(userId)
      .catch(() => undefined);
    return "store-down";
  }
}
