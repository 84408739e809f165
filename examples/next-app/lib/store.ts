import type { Store } from "authcache";
import { memoryStore } from "authcache/memory";
import { redisStore } from "authcache/redis";
import { upstashStore } from "authcache/upstash";

export interface StoreChoice {
  store: Store;
  /** What the banner and the status page call it. */
  label: string;
  /** Why this store: which variable chose it. */
  source: string;
}

/**
 * The store follows the environment: Upstash when its REST variables are set, Redis with
 * `REDIS_URL`, otherwise the in-process memory store. The memory store is shared by name, so the
 * proxy, the route handlers and the pages (which Next.js bundles apart) see the same sessions.
 */
export function chooseStore(env: NodeJS.ProcessEnv = process.env): StoreChoice {
  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    return {
      store: upstashStore(),
      label: "Upstash",
      source: "UPSTASH_REDIS_REST_URL is set",
    };
  }

  if (env.REDIS_URL) {
    return {
      store: redisStore({ url: env.REDIS_URL }),
      label: "Redis",
      source: "REDIS_URL is set",
    };
  }

  return {
    store: memoryStore({ shareAs: "authcache-demo" }),
    label: "memory",
    source: "no REDIS_URL or UPSTASH_REDIS_REST_URL: embedded in this process",
  };
}
