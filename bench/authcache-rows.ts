/**
 * authcache's own rows: next-auth v4 and @auth/core behind `withAuthCache`, on each store, with
 * the L1 tier and the token codec where this build has them.
 */
import type { AuthCache } from "../src/cache/types.js";
import { createAuthCache } from "../src/index.js";
import { memoryStore } from "../src/stores/memory.js";
import { redisStore } from "../src/stores/redis.js";
import type { Store } from "../src/stores/types.js";
import { upstashStore } from "../src/stores/upstash.js";
import { makeCoreApp } from "../test/integration/auth-core/driver.js";
import { makeV4App } from "../test/integration/next-auth-v4/driver.js";
import type { Capabilities } from "./capabilities.js";
import type { RowContext } from "./env.js";
import { BENCH_USER, handlerReader } from "./handler-reader.js";
import type { RowSpec } from "./reader.js";

type StoreKind = "memory" | "redis" | "redis-l1" | "upstash";

const STORES: [StoreKind, string][] = [
  ["memory", "memory"],
  ["redis", "Redis"],
  ["redis-l1", "Redis + L1"],
  ["upstash", "Upstash protocol"],
];
const LIBRARIES = [
  ["v4", "next-auth v4", makeV4App],
  ["core", "@auth/core", makeCoreApp],
] as const;

export function authcacheRows(caps: Capabilities): RowSpec[] {
  const rows: RowSpec[] = [];
  for (const [lib, libLabel, makeApp] of LIBRARIES) {
    for (const codec of [false, true]) {
      for (const [store, storeLabel] of STORES) {
        const label = `authcache on ${libLabel}, ${storeLabel}${codec ? ", codec" : ""}`;
        const missing = [
          store === "redis-l1" && !caps.l1.available ? caps.l1.reason : undefined,
          codec && !caps.codec.available ? caps.codec.reason : undefined,
        ].filter((reason) => reason !== undefined);

        rows.push({
          id: `authcache-${lib}-${store}${codec ? "-codec" : ""}`,
          label,
          group: "authcache",
          unavailable:
            missing.length > 0 ? `not available in this build: ${missing.join("; ")}` : undefined,
          build: async (ctx) => {
            const l1 = store === "redis-l1" && caps.l1.available ? caps.l1.use(ctx.redisUrl) : {};
            const cache = createAuthCache({
              store: makeStore(store, ctx),
              prefix: ctx.prefix,
              secret: "bench-secret",
              loadUser: async (id) => (id === BENCH_USER.id ? { ...BENCH_USER } : null),
              ...l1,
            });
            const wrapper = codec && caps.codec.available ? caps.codec.use : undefined;
            const reader = await handlerReader(label, makeApp, { cache, wrap: true, wrapper });
            // The sign-in's first read started the tier's subscription; until it is confirmed
            // the tier is bypassed, and the row would measure the store instead.
            if (store === "redis-l1") await l1Active(cache, label);
            return reader;
          },
        });
      }
    }
  }
  return rows;
}

async function l1Active(cache: AuthCache, label: string): Promise<void> {
  const deadline = performance.now() + 2_000;
  while (!cache.l1?.active) {
    if (performance.now() > deadline) throw new Error(`${label}: the L1 tier never came up`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function makeStore(kind: StoreKind, ctx: RowContext): Store {
  if (kind === "memory") return memoryStore();
  if (kind === "upstash") return upstashStore({ url: ctx.upstash.url, token: ctx.upstash.token });
  return redisStore({ url: ctx.redisUrl });
}
