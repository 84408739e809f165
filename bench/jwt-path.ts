/**
 * GET session through the real Auth.js handlers, in one run: with no cache at all (the stateless
 * JWT), with authcache over a local redis-server, and over memory, each with Auth.js' own token
 * encoding and with authcache's token codec; next to a raw GET on the very client the Redis store
 * uses. What authcache adds is the difference of medians, expressed in raw round trips (negative
 * when the codec saves more token crypto than the store trip costs).
 */
import { createClient } from "redis";
import { createAuthCache } from "../src/index.js";
import { memoryStore } from "../src/stores/memory.js";
import { redisStore } from "../src/stores/redis.js";
import type { Store } from "../src/stores/types.js";
import { makeCoreApp } from "../test/integration/auth-core/driver.js";
import { makeV4App } from "../test/integration/next-auth-v4/driver.js";
import type { MakeApp, TestUser } from "../test/integration/shared/app.js";
import { startRedis } from "../test/support/redis-server.js";
import { fmt, interleaved, type Latency } from "./measure.js";

export interface JwtRow {
  library: string;
  variant: string;
  p50: number;
  p99: number;
  /** p50 minus the same library's no-cache p50, in raw round trips. */
  addedTrips: number | null;
}

/** Each library's rows, in print order; the first is the baseline the others are set against. */
const VARIANTS = [
  "no cache (stateless JWT)",
  "authcache, redis",
  "authcache, memory",
  "authcache + codec, redis",
  "authcache + codec, memory",
] as const;
type Variant = (typeof VARIANTS)[number];

const USER: TestUser = { id: "u-bench", name: "Ada", email: "ada@example.com", role: "admin" };

export async function benchJwtPath(
  rounds = 5,
  perRound = 400,
): Promise<{ rtt: Latency; rows: JwtRow[] }> {
  const redis = await startRedis();
  const client = createClient({ url: redis.url, disableOfflineQueue: true });
  await client.connect();
  await client.set("bench:raw", "v");

  try {
    const variants: Record<string, (i: number) => Promise<unknown>> = {
      "raw GET": () => client.get("bench:raw"),
    };
    const libraries: [string, MakeApp][] = [
      ["next-auth v4", makeV4App],
      ["@auth/core", makeCoreApp],
    ];

    for (const [library, makeApp] of libraries) {
      const setups: Record<Variant, { wrap: boolean; store: Store; codec?: boolean }> = {
        "no cache (stateless JWT)": { wrap: false, store: memoryStore() },
        "authcache, redis": { wrap: true, store: redisStore({ client }) },
        "authcache, memory": { wrap: true, store: memoryStore() },
        "authcache + codec, redis": { wrap: true, store: redisStore({ client }), codec: true },
        "authcache + codec, memory": { wrap: true, store: memoryStore(), codec: true },
      };
      for (const [variant, setup] of Object.entries(setups)) {
        const users = new Map([[USER.id, { ...USER }]]);
        const cache = createAuthCache({
          store: setup.store,
          prefix: "bench",
          secret: "bench-secret",
          loadUser: async (id) => users.get(id) ?? null,
        });
        const codec = setup.codec ? { wrapper: { codec: true } } : {};
        const app = makeApp({ cache, users, wrap: setup.wrap, ...codec });
        const browser = app.browser();
        const signedIn = await browser.signIn({ username: USER.id, password: "pw" });
        if (signedIn.status !== 200) throw new Error(`${library} ${variant}: sign-in failed`);
        variants[`${library}|${variant}`] = () => browser.session();
      }
    }

    const results = await interleaved(variants, rounds, perRound);
    const rtt = results["raw GET"]!;
    const rows: JwtRow[] = [];
    for (const [library] of libraries) {
      const base = results[`${library}|no cache (stateless JWT)`]!;
      for (const variant of VARIANTS) {
        const r = results[`${library}|${variant}`]!;
        const added = variant.includes("redis") ? (r.p50 - base.p50) / rtt.p50 : null;
        rows.push({ library, variant, p50: r.p50, p99: r.p99, addedTrips: added });
      }
    }
    return { rtt, rows };
  } finally {
    await client.close();
    await redis.stop();
  }
}

export function printJwtRows({ rtt, rows }: { rtt: Latency; rows: JwtRow[] }): void {
  console.log(
    `\nGET session through the real handler (sequential, median of rounds); raw GET p50 ${fmt(rtt.p50)}`,
  );
  console.log(["library", "variant", "p50", "p99", "added vs no cache"].join(" | "));
  for (const r of rows) {
    const added = r.addedTrips === null ? "" : `${r.addedTrips.toFixed(2)} round trips`;
    console.log([r.library, r.variant, fmt(r.p50), fmt(r.p99), added].join(" | "));
  }
}
