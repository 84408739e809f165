/**
 * The contract every row of the session-read table fulfils: a way to read one signed-in
 * session through a real handler, built against the run's own servers.
 */
import type { RowContext } from "./env.js";

/** One signed-in visitor of one app, reading its session. */
export interface SessionReader {
  /** One GET of the session endpoint; resolves once the answer is read. */
  read(): Promise<unknown>;
  close(): Promise<void>;
}

export interface RowSpec {
  /** Stable key for `--json` and the chart. */
  id: string;
  /** What the table says: the way the session is read. */
  label: string;
  group: "peer" | "authcache";
  /** Builds a fresh, signed-in instance. Absent when the row cannot run in this build. */
  build?: (ctx: RowContext) => Promise<SessionReader>;
  /** Why the row cannot run here (not installable, no DATABASE_URL, not in this build). */
  unavailable?: string;
}

/** Answers `value` when it is a signed-in session body, else throws: a row must really sign in. */
export function expectUser(label: string, body: unknown): void {
  const user = (body as { user?: unknown } | null)?.user;
  if (user === null || typeof user !== "object") {
    throw new Error(`${label}: the session read returned no user: ${JSON.stringify(body)}`);
  }
}
