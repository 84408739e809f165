/**
 * A database query per request on Postgres, only against the database the user names in
 * `DATABASE_URL`: @auth/core database sessions through the small SQL adapter, in temporary
 * tables that vanish with the connection, so the run leaves nothing behind.
 */
import type { RowSpec } from "../reader.js";
import { coreDatabaseReader } from "./core-database.js";
import { notInstalled } from "./installed.js";
import { SCHEMA, sqlAdapter } from "./sql-adapter.js";

export function postgresRow(databaseUrl: string | undefined): RowSpec {
  const label = "@auth/core database strategy, Postgres (a query per request)";
  const unavailable =
    databaseUrl === undefined || databaseUrl === ""
      ? "skipped: DATABASE_URL is not set"
      : notInstalled("pg");
  return {
    id: "peer-core-postgres",
    label,
    group: "peer",
    unavailable,
    build: async (ctx) => {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      for (const statement of SCHEMA) {
        await client.query(statement.replace("CREATE TABLE", "CREATE TEMP TABLE"));
      }

      const numbered = (sql: string) => {
        let n = 0;
        return sql.replace(/\?/g, () => `$${++n}`);
      };
      const adapter = sqlAdapter({
        run: async (sql, params) => {
          ctx.sql.queries++;
          await client.query(numbered(sql), params);
        },
        one: async (sql, params) => {
          ctx.sql.queries++;
          const result = await client.query(numbered(sql), params);
          return result.rows[0] as Record<string, unknown> | undefined;
        },
      });
      return coreDatabaseReader(label, adapter, () => client.end());
    },
  };
}
