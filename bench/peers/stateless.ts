/**
 * The libraries' own stateless JWT sessions, no cache and no revocation: what a session read
 * costs when nothing but the cookie is consulted.
 */
import { createAuthCache } from "../../src/index.js";
import { makeCoreApp } from "../../test/integration/auth-core/driver.js";
import { makeV4App } from "../../test/integration/next-auth-v4/driver.js";
import { handlerReader } from "../handler-reader.js";
import type { RowSpec } from "../reader.js";

export function statelessRows(): RowSpec[] {
  const rows: [string, string, typeof makeV4App][] = [
    ["peer-v4-stateless", "next-auth v4 JWT, stateless", makeV4App],
    ["peer-core-stateless", "@auth/core JWT, stateless", makeCoreApp],
  ];
  return rows.map(([id, label, makeApp]) => ({
    id,
    label,
    group: "peer" as const,
    // The bare library runs; the cache is only there because the test app's setup wants one.
    build: () => handlerReader(label, makeApp, { cache: createAuthCache(), wrap: false }),
  }));
}
