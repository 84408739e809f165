import path from "node:path";
import Database from "better-sqlite3";
import accounts from "../demo-accounts.json";
import { dataDir } from "./data-dir";
import { hashPassword } from "./passwords";

export type Db = Database.Database;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL DEFAULT 'viewer',
    image          TEXT,
    password_hash  TEXT,
    revoked_before INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  ) STRICT;
`;

// One connection per process: Next.js bundles the proxy, route handlers and pages apart, and
// each bundle would otherwise open (and seed) the database on its own.
const KEY = Symbol.for("authcache-demo.db");
const holder = globalThis as { [KEY]?: Promise<Db> };

/** The app's database: the source of truth for users, created and seeded on first use. */
export function db(): Promise<Db> {
  holder[KEY] ??= open().catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}

async function open(): Promise<Db> {
  const file = path.join(dataDir(), "demo.sqlite");
  const database = new Database(file);
  database.pragma("journal_mode = WAL");
  database.exec(SCHEMA);

  await seed(database);
  return database;
}

/** The demo accounts, on an empty database only: edits made in the demo survive restarts. */
async function seed(database: Db): Promise<void> {
  const { n } = database.prepare("SELECT count(*) AS n FROM users").get() as { n: number };
  if (n > 0) return;

  const hashes = await Promise.all(accounts.map((a) => hashPassword(a.password)));
  const insert = database.prepare(
    `INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();

  database.transaction(() => {
    accounts.forEach((a, i) => {
      insert.run(a.id, a.email, a.name, a.role, hashes[i], now, now);
    });
  })();
}
