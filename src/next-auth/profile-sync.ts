import type { Profile } from "../cache/types.js";
import { MAX_CLAIM_LENGTH } from "./claims.js";
import type { WrapperContext } from "./context.js";
import { toPlainRecord } from "./sanitize.js";
import type { JWTLike } from "./types.js";

/**
 * Keeps the token's small display claims (`name`, `email`, `picture`) and the cached profile in
 * step. The profile is the source: a read copies it into the token, never the other way round,
 * so an old cookie replayed after an update cannot write its older name back. Only an update
 * (trigger "update") writes to the profile, and that write is versioned by the cache.
 */

/** Profile field ← token claim. Auth.js names the picture `image` on users, `picture` in tokens. */
const FIELDS = [
  ["name", "name"],
  ["email", "email"],
  ["image", "picture"],
] as const;

/** The provider's user object as a storable profile, or `null` when it has nothing. */
export function profileFromUser(user: unknown): Profile | null {
  const profile = toPlainRecord(user);
  return profile && Object.keys(profile).length > 0 ? profile : null;
}

/** The token with its display claims taken from the profile, where the profile has them. */
export function refreshProfileClaims(token: JWTLike, profile: Profile | null): JWTLike {
  if (!profile) return token;

  const out: JWTLike = { ...token };
  for (const [field, claim] of FIELDS) {
    const value = field === "image" ? (profile.image ?? profile.picture) : profile[field];
    if (typeof value === "string" && value.length <= MAX_CLAIM_LENGTH) out[claim] = value;
  }
  return out;
}

/**
 * The claims an update may change in the cached profile. The email is not one of them: update
 * data comes from the browser, and an email taken from it would map someone else's address to
 * this user (so "revoke-user <their email>" would reach the wrong account). Emails reach the
 * profile and the email map only from the provider at sign-in and from `loadUser`.
 */
const UPDATABLE = FIELDS.filter(([field]) => field !== "email");

/**
 * After the app's callback handled an update: the display claims it changed become the cached
 * profile, written with the current time as its version, so a slower concurrent read that
 * loaded older data cannot overwrite it.
 */
export async function applyUpdate(
  ctx: WrapperContext,
  userId: string,
  before: JWTLike,
  after: JWTLike,
  current: Profile | null,
): Promise<Profile | null> {
  const changed: Profile = {};
  for (const [field, claim] of UPDATABLE) {
    const value = after[claim];
    if (value !== before[claim] && (typeof value === "string" || value === null)) {
      changed[field] = value;
    }
  }
  if (Object.keys(changed).length === 0) return current;

  const profile = { ...(current ?? {}), ...changed };
  try {
    await ctx.cache.cacheUserProfile(userId, profile);
  } catch (error) {
    ctx.warn("update", error);
  }
  return profile;
}
