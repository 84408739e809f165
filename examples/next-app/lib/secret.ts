import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "./data-dir";

export const SECRET_FILE = "auth-secret";

let cached: string | undefined;

/**
 * The secret that signs session cookies and keys authcache's email map. `AUTH_SECRET` or
 * `NEXTAUTH_SECRET` when set; otherwise one generated once and kept in the data folder, so that
 * the demo's sessions survive a restart.
 */
export function authSecret(): string {
  cached ??= process.env.AUTH_SECRET || process.env.NEXTAUTH_SECRET || fileSecret();
  return cached;
}

function fileSecret(): string {
  const file = path.join(dataDir(), SECRET_FILE);
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (kept.length >= 32) return kept;
  } catch {
    // No secret yet: make one below.
  }

  const made = randomBytes(32).toString("base64url");
  writeFileSync(file, `${made}\n`, { mode: 0o600 });
  return made;
}
