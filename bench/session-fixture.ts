/**
 * What one sign-in leaves in the cache, reproduced for session number `i`: the session (its token
 * as the jwt callback caches it, and its entry in the user's device list) and, separately, the
 * user's profile and email mapping. One user per session, the costliest case.
 */
import { randomBytes } from "node:crypto";
import type { AuthCache } from "../src/cache/types.js";

const DAY_MS = 24 * 3600 * 1000;
const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

export async function writeSession(cache: AuthCache, i: number): Promise<void> {
  const now = Date.now();
  const userId = `user-${i}`;
  const sessionId = randomBytes(16).toString("hex");
  const expiresAt = now + 30 * DAY_MS;
  const token = {
    sub: userId,
    name: "Ada Lovelace",
    email: `ada.${i}@example.com`,
    acSid: sessionId,
    acStart: now,
    acSeen: now,
    exp: Math.floor(expiresAt / 1000),
  };
  await cache.startSession(
    { userId, sessionId, createdAt: now, expiresAt, userAgent: USER_AGENT },
    token,
  );
}

export async function writeUser(cache: AuthCache, i: number): Promise<void> {
  const userId = `user-${i}`;
  const email = `ada.${i}@example.com`;
  await cache.cacheUserProfile(userId, { id: userId, name: "Ada Lovelace", email, role: "user" });
  await cache.cacheEmailToUserId(email, userId);
}

/** Runs `write(i)` for i in [0, n) with `inFlight` writes outstanding. */
export async function writeMany(
  n: number,
  write: (i: number) => Promise<void>,
  inFlight = 64,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await write(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}
