/**
 * A database query per request on SQLite: @auth/core database sessions through the small SQL
 * adapter, on a better-sqlite3 file of the run's own (WAL, prepared statements kept).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Statement } from "better-sqlite3";
import type { RowSpec } from "../reader.js";
import { coreDatabaseReader } from "./core-database.js";
import { notInstalled } from "./installed.js";
import { SCHEMA, sqlAdapter } from "./sql-adapter.js";

export function sqliteRow(): RowSpec {
  const label = "@auth/core database strategy, SQLite (a query per request)";
  return {
    id: "peer-core-sqlite",
    label,
    group: "peer",
    unavailable: notInstalled("better-sqlite3"),
    build: async (ctx) => {
      const { default: Database } = await import("better-sqlite3");
      const dir = mkdtempSync(join(tmpdir(), "authcache-bench-sqlite-"));
      const db = new Database(join(dir, "auth.db"));
      db.pragma("journal_mode = WAL");
      for (const statement of SCHEMA) db.exec(statement);

      const statements = new Map<string, Statement<unknown[]>>();
      const prepared = (sql: string) => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = db.prepare<unknown[]>(sql);
          statements.set(sql, statement);
        }
        ctx.sql.queries++;
        return statement;
      };

      const adapter = sqlAdapter({
        run: async (sql, params) => void prepared(sql).run(...params),
        one: async (sql, params) =>
          prepared(sql).get(...params) as Record<string, unknown> | undefined,
      });
      return coreDatabaseReader(label, adapter, async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      });
    },
  };
}
