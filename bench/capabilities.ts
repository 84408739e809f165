/**
 * Which optional speed features this build of authcache has, found by looking, never assumed:
 * the in-process L1 tier (profiles and "not revoked" answers kept in memory, invalidated over
 * Redis pub/sub) and the token codec for Auth.js. A feature the build lacks keeps its rows in the
 * report, marked as not available, instead of silently dropping them.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AuthCacheOptions } from "../src/cache/types.js";
import type { AuthOptionsLike, WithAuthCacheOptions } from "../src/next-auth/index.js";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

/** `reason` says what is missing; rows add "not available in this build". */
export type Capability<T> = { available: true; use: T } | { available: false; reason: string };

/** What turns the L1 tier on for a cache on Redis at `redisUrl`. */
export type L1Use = (redisUrl: string) => Partial<AuthCacheOptions>;
/** What turns the codec on in `withAuthCache`. */
export type CodecUse = Partial<WithAuthCacheOptions>;

export interface Capabilities {
  l1: Capability<L1Use>;
  codec: Capability<CodecUse>;
}

export async function detectCapabilities(): Promise<Capabilities> {
  return { l1: await detectL1(), codec: await detectCodec() };
}

/**
 * The tier is on when a cache created with `{ l1: true }` reports an L1 status: asked of
 * `createAuthCache` itself, like the codec, once the files are there.
 */
async function detectL1(): Promise<Capability<L1Use>> {
  const files = matching(join(SRC, "cache"), /^l1.*\.ts$/);
  if (files.length === 0) {
    return { available: false, reason: "no in-process L1 tier" };
  }

  const { createAuthCache } = await import("../src/index.js");
  const options = { l1: true } as Partial<AuthCacheOptions>;
  const cache = createAuthCache(options);
  try {
    const status = (cache as { l1?: unknown }).l1;
    if (status !== null && typeof status === "object")
      return { available: true, use: () => options };
    return {
      available: false,
      reason: `L1 tier files (${files.join(", ")}) but createAuthCache ignores \`l1\``,
    };
  } finally {
    await cache.close();
  }
}

/**
 * The codec is on when `withAuthCache` given `{ codec: true }` replaces `jwt.decode`, which it
 * otherwise never touches on @auth/core: asked of the wrapper itself, not of its files.
 */
async function detectCodec(): Promise<Capability<CodecUse>> {
  const { withAuthCache } = await import("../src/next-auth/index.js");
  const { createAuthCache } = await import("../src/index.js");
  const cache = createAuthCache();
  try {
    const use = { codec: true } as CodecUse;
    const bare: AuthOptionsLike = { trustHost: true, providers: [] };
    const options = withAuthCache(cache, bare, use);
    if (typeof options.jwt?.decode === "function") return { available: true, use };
    return { available: false, reason: "no Auth.js token codec in withAuthCache" };
  } finally {
    await cache.close();
  }
}

function matching(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => pattern.test(name));
}
