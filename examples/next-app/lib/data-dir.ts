import { mkdirSync } from "node:fs";
import path from "node:path";

/**
 * Where the demo keeps its files: the SQLite database and, when none is configured, the auth
 * secret. `DEMO_DATA_DIR` moves it (the end-to-end test runs each time on a fresh folder).
 */
export function dataDir(): string {
  const dir = process.env.DEMO_DATA_DIR ?? path.join(process.cwd(), "data");
  mkdirSync(dir, { recursive: true });
  return dir;
}
