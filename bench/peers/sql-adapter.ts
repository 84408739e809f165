/**
 * A minimal Auth.js adapter over SQL, for the "a database query per request" rows: users and
 * sessions in two tables, the session read as one JOIN, as the common SQL adapters do it. The
 * driver behind it counts every statement it runs.
 */
import type { Adapter, AdapterSession, AdapterUser } from "@auth/core/adapters";

/** The few calls the adapter needs; `?` placeholders. */
export interface SqlDriver {
  run(sql: string, params: unknown[]): Promise<void>;
  one(sql: string, params: unknown[]): Promise<Record<string, unknown> | undefined>;
}

export const SCHEMA = [
  `CREATE TABLE bench_users (
     id TEXT PRIMARY KEY, name TEXT, email TEXT UNIQUE, email_verified BIGINT, image TEXT)`,
  `CREATE TABLE bench_sessions (
     session_token TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES bench_users(id),
     expires BIGINT NOT NULL)`,
];

const SESSION_AND_USER = `
  SELECT s.session_token, s.user_id, s.expires, u.id, u.name, u.email, u.email_verified, u.image
  FROM bench_sessions s JOIN bench_users u ON u.id = s.user_id
  WHERE s.session_token = ?`;

export function sqlAdapter(db: SqlDriver): Adapter {
  return {
    async createUser(user) {
      await db.run("INSERT INTO bench_users VALUES (?, ?, ?, ?, ?)", [
        user.id,
        user.name ?? null,
        user.email,
        user.emailVerified?.getTime() ?? null,
        user.image ?? null,
      ]);
      return user;
    },
    async getUser(id) {
      const row = await db.one("SELECT * FROM bench_users WHERE id = ?", [id]);
      return row ? toUser(row) : null;
    },
    async getUserByEmail(email) {
      const row = await db.one("SELECT * FROM bench_users WHERE email = ?", [email]);
      return row ? toUser(row) : null;
    },
    async updateUser(user) {
      await db.run("UPDATE bench_users SET name = ?, image = ? WHERE id = ?", [
        user.name ?? null,
        user.image ?? null,
        user.id,
      ]);
      const row = await db.one("SELECT * FROM bench_users WHERE id = ?", [user.id]);
      if (!row) throw new Error("no such user");
      return toUser(row);
    },
    // The benchmark signs nobody in through OAuth: accounts are accepted and not kept.
    async getUserByAccount() {
      return null;
    },
    async linkAccount() {
      return undefined;
    },
    async createSession(session) {
      await db.run("INSERT INTO bench_sessions VALUES (?, ?, ?)", [
        session.sessionToken,
        session.userId,
        session.expires.getTime(),
      ]);
      return session;
    },
    async getSessionAndUser(sessionToken) {
      const row = await db.one(SESSION_AND_USER, [sessionToken]);
      if (!row) return null;
      const session: AdapterSession = {
        sessionToken: String(row.session_token),
        userId: String(row.user_id),
        expires: new Date(Number(row.expires)),
      };
      return { session, user: toUser(row) };
    },
    async updateSession(session) {
      if (session.expires) {
        await db.run("UPDATE bench_sessions SET expires = ? WHERE session_token = ?", [
          session.expires.getTime(),
          session.sessionToken,
        ]);
      }
      return null;
    },
    async deleteSession(sessionToken) {
      await db.run("DELETE FROM bench_sessions WHERE session_token = ?", [sessionToken]);
    },
  };
}

function toUser(row: Record<string, unknown>): AdapterUser {
  return {
    id: String(row.id),
    name: row.name == null ? null : String(row.name),
    email: String(row.email),
    emailVerified: row.email_verified == null ? null : new Date(Number(row.email_verified)),
    image: row.image == null ? null : String(row.image),
  };
}
