/**
 * How the Upstash store behaves when the REST endpoint refuses, throttles or stalls, and that it
 * speaks both response encodings. Each test runs its own forwarder (faults are per forwarder) onto
 * the shared redis-server, under this file's own key prefix.
 */
import { Redis } from "@upstash/redis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors.js";
import type { Store } from "../../src/stores/types.js";
import { upstashStore } from "../../src/stores/upstash.js";
import { startUpstashServer, type UpstashServer } from "../support/upstash-server.js";

const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function forwarder(): Promise<UpstashServer> {
  const server = await startUpstashServer({ redisUrl: inject("servers").redisUrl });
  cleanups.push(() => server.close());
  return server;
}

function track(store: Store): Store {
  cleanups.push(() => store.close());
  return store;
}

describe("upstash store faults", () => {
  it("fails with StoreUnavailableError on a wrong token", async () => {
    const server = await forwarder();
    const store = track(upstashStore({ url: server.url, token: "wrong" }));
    const error = await store.ping().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(String((error as Error).cause)).toContain("Unauthorized");
  });

  it.each([
    ["a rate limit (429)", { kind: "rate-limit" } as const],
    ["an exhausted quota", { kind: "quota" } as const],
    ["a revoked token (401)", { kind: "unauthorized" } as const],
  ])("fails with StoreUnavailableError on %s, then recovers", async (_, fault) => {
    const server = await forwarder();
    const store = track(upstashStore({ url: server.url, token: server.token }));
    const key = `${prefix}:{s:fault}:jwt`;

    server.fault(fault, 1);
    await expect(store.write(key, "v", 60_000)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.write(key, "v", 60_000)).toBe(true);
    expect(await store.get([key])).toEqual(["v"]);
  });

  it("aborts a request that takes longer than commandTimeoutMs", async () => {
    const server = await forwarder();
    const store = track(
      upstashStore({ url: server.url, token: server.token, commandTimeoutMs: 100 }),
    );

    server.fault({ kind: "delay", ms: 1_000 });
    const started = Date.now();
    await expect(store.get([`${prefix}:{s:slow}:jwt`])).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(Date.now() - started).toBeLessThan(800);
  });

  it("reads keys of several hash tags in one HTTP request", async () => {
    const server = await forwarder();
    const store = track(upstashStore({ url: server.url, token: server.token }));
    const keys = ["a", "b", "c", "d"].map((tag) => `${prefix}:{u:${tag}}:profile`);
    await store.get(keys);

    const before = server.requests;
    expect(await store.get(keys)).toEqual([null, null, null, null]);
    expect(server.requests - before).toBe(1);
  });

  it.each([
    ["base64 responses (the default)", undefined],
    ["plain JSON responses", false as const],
  ])("round-trips unicode and number-like strings with %s", async (_, responseEncoding) => {
    const server = await forwarder();
    const client = new Redis({ url: server.url, token: server.token, responseEncoding });
    const store = track(upstashStore({ client }));
    const values = ["héllo ✓ 🎉", "0012", "null", 'v1|7|{"a": 1.0}'];
    const keys = values.map((_, i) => `${prefix}:{s:enc${i}}:jwt`);

    for (const [i, key] of keys.entries()) await store.write(key, values[i]!, 60_000);
    expect(await store.get(keys)).toEqual(values);
    await store.del(keys);
  });

  it("runs /multi-exec as one transaction, with per-command errors", async () => {
    const server = await forwarder();
    const client = new Redis({ url: server.url, token: server.token });
    const key = `${prefix}:{s:multi}:jwt`;

    const replies = await client
      .multi()
      .set(key, "1", { px: 60_000 })
      .incr(key)
      .hset(key, { f: "x" })
      .exec({ keepErrors: true });
    expect(replies.map((reply) => reply.error === undefined)).toEqual([true, true, false]);
    expect(await client.get(key)).toBe(2);
    await client.del(key);
  });
});
