/**
 * Options of the Redis and Upstash stores: misuse fails where it is written, with a clear error
 * that never echoes a credential; nothing is opened by creating a store.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { InvalidOptionError } from "../../src/errors.js";
import { redisStore } from "../../src/stores/redis.js";
import { upstashStore } from "../../src/stores/upstash.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("redisStore options", () => {
  it("needs a URL, a client or REDIS_URL", () => {
    vi.stubEnv("REDIS_URL", undefined);
    expect(() => redisStore()).toThrow(InvalidOptionError);
  });

  it("reads REDIS_URL by default", async () => {
    vi.stubEnv("REDIS_URL", inject("servers").redisUrl);
    const store = redisStore();
    expect(store.kind).toBe("redis");
    await store.ping();
    await store.close();
  });

  it.each([
    ["not a URL", "not a url"],
    ["an http URL", "http://127.0.0.1:1"],
  ])("refuses %s without echoing it", (_, url) => {
    expect(() => redisStore({ url })).toThrow(InvalidOptionError);
  });

  it("never echoes a password from a malformed URL", () => {
    const error = (() => {
      try {
        redisStore({ url: "redis://:s3cret@[bad" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error?.message).not.toContain("s3cret");
  });

  it("refuses an object that is no Redis client, and both url and client", () => {
    expect(() => redisStore({ client: {} as never })).toThrow(InvalidOptionError);
    const client = { call: async () => null, status: "ready", on() {}, off() {} };
    expect(() => redisStore({ client, url: "redis://127.0.0.1:1" })).toThrow(InvalidOptionError);
  });

  it("refuses a timeout that is not a positive number", () => {
    expect(() => redisStore({ url: "redis://127.0.0.1:1", commandTimeoutMs: 0 })).toThrow(
      InvalidOptionError,
    );
  });
});

describe("upstashStore options", () => {
  it("needs a URL and a token, from options or the environment", () => {
    vi.stubEnv("UPSTASH_REDIS_REST_URL", undefined);
    vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", undefined);
    vi.stubEnv("KV_REST_API_URL", undefined);
    vi.stubEnv("KV_REST_API_TOKEN", undefined);
    expect(() => upstashStore()).toThrow(/UPSTASH_REDIS_REST_URL/);
    expect(() => upstashStore({ url: "https://example.invalid" })).toThrow(
      /UPSTASH_REDIS_REST_TOKEN/,
    );
  });

  it("reads UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN by default", async () => {
    const { url, token } = inject("servers").upstash;
    vi.stubEnv("UPSTASH_REDIS_REST_URL", url);
    vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", token);
    const store = upstashStore();
    expect(store.kind).toBe("upstash");
    await store.ping();
  });

  it("refuses a redis:// URL and a token with whitespace, without echoing the token", () => {
    expect(() => upstashStore({ url: "redis://127.0.0.1:1", token: "t" })).toThrow(
      InvalidOptionError,
    );
    expect(() => upstashStore({ url: "https://example.invalid", token: "abc def\n" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("abc def") }),
    );
  });
});

describe("edge safety", () => {
  it("keeps node: imports out of the Upstash store and everything it imports", () => {
    const files = [
      "upstash.ts",
      "redis-ops.ts",
      "redis-scripts.ts",
      "redis-slots.ts",
      "types.ts",
      "../errors.ts",
    ];
    for (const file of files) {
      const source = readFileSync(new URL(`../../src/stores/${file}`, import.meta.url), "utf8");
      expect(source, file).not.toMatch(/from\s+["']node:/);
      expect(source, file).not.toMatch(/\bBuffer\b/);
    }
  });
});
