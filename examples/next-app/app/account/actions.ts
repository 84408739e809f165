"use server";

import { revalidatePath } from "next/cache";
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
  // The header (in the layout) shows the name too: without this, the page answering the form
  // would re-render below the layout only, and the header would keep the old name until reload.
  revalidatePath("/", "layout");
  redirect(`/account?saved=${outcome}`);
}

/**
 * Writes the fresh profile to the cache so the next read is a hit. `cacheUserProfile` does not
 * throw when the store is down (the next read then simply goes to the database), so the store is
 * asked afterwards whether it holds a copy: that read throws when it cannot be reached.
 */
async function refreshCachedProfile(userId: string): Promise<"cached" | "store-down"> {
  const c = cache();
  try {
    const fresh = await loadProfile(userId);
    if (fresh) await c.cacheUserProfile(userId, fresh);
    else await c.invalidateUserProfile(userId);
    const [stored] = await c.store.get([c.keys.profile(userId)]);
    return stored ? "cached" : "store-down";
  } catch {
    await c.invalidateUserProfile(userId).catch(() => undefined);
    return "store-down";
  }
}
