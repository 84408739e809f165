import type { Profile } from "authcache";
import { db } from "./db";

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  image: string | null;
  password_hash: string | null;
  revoked_before: number | null;
  created_at: number;
  updated_at: number;
}

/** A user as the app shows it, and as authcache caches it. */
export interface UserProfile extends Profile {
  id: string;
  email: string;
  name: string;
  role: string;
  image: string | null;
  updatedAt: number;
  /** "Sign out everywhere" watermark kept in the database, so it survives a flushed cache. */
  revokedBefore?: number;
}

/** The profile of a user, or `null` when there is none. This is authcache's `loadUser`. */
export async function loadProfile(userId: string): Promise<UserProfile | null> {
  const row = (await db()).prepare("SELECT * FROM users WHERE id = ?").get(userId) as
    | UserRow
    | undefined;
  return row ? toProfile(row) : null;
}

/** The user with this email and their password hash, for the credentials sign-in. */
export async function findByEmail(email: string) {
  const row = (await db()).prepare("SELECT * FROM users WHERE email = ?").get(email.trim()) as
    | UserRow
    | undefined;
  return row ? { profile: toProfile(row), passwordHash: row.password_hash } : null;
}

export async function updateProfile(userId: string, change: { name: string; role: Role }) {
  (await db())
    .prepare("UPDATE users SET name = ?, role = ?, updated_at = ? WHERE id = ?")
    .run(change.name, change.role, Date.now(), userId);
}

export async function setRevokedBefore(userId: string, watermark: number) {
  (await db())
    .prepare("UPDATE users SET revoked_before = max(coalesce(revoked_before, 0), ?) WHERE id = ?")
    .run(watermark, userId);
}

/** A GitHub user becomes a local account on first sign-in; later sign-ins keep local edits. */
export async function upsertOAuthUser(user: {
  id: string;
  email: string;
  name: string;
  image: string | null;
}) {
  const now = Date.now();
  (await db())
    .prepare(
      `INSERT INTO users (id, email, name, role, image, created_at, updated_at)
       VALUES (?, ?, ?, 'viewer', ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET image = excluded.image`,
    )
    .run(user.id, user.email, user.name, user.image, now, now);
}

function toProfile(row: UserRow): UserProfile {
  const profile: UserProfile = {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    image: row.image,
    updatedAt: row.updated_at,
  };
  if (row.revoked_before) profile.revokedBefore = row.revoked_before;
  return profile;
}
