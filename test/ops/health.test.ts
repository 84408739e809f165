import { afterEach, describe, expect, inject, it } from "vitest";
import { createAuthCache } from "../../src/cache/auth-cache.js";
import type { AuthCache } from "../../src/cache/types.js";
import { createHealthHandler } from "../../src/next/index.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { closedPort, countingStore, hangingStore, randomPrefix, scanPrefix } from "./support.js";

const { redisUrl } = inject("servers");
const prefix = randomPrefix("health");
const secret = "health-test-secret";
const url = "http://localhost/api/health/redis";
const opened: AuthCache[] = [];

function track(cache: AuthCache) {
  opened.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});

describe("health handler", () => {
  it("answers 200 with every check passing on a real Redis, and leaves no synthetic key", async () => {
    const cache = track(createAuthCache({ store: redisStore({ url: redisUrl }), prefix, secret }));
    const handler = createHealthHandler(cache);

    const res = await handler(new Request(url));
    const text = await res.text();
    const body = JSON.parse(text);

    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(body).toMatchObject({ status: "ok", probe: "ready", store: "redis", breaker: "closed" });
    expect(body.checks.map((c: { name: string }) => c.name)).toEqual([
      "ping",
      "session",
      "email",
      "profile",
      "blacklist",
    ]);
    for (const check of body.checks) {
      expect(check).toMatchObject({ ok: true, budgetMs: 250 });
      expect(check.ms).toBeGreaterThanOrEqual(0);
      expect(check.skipped).toBeUndefined();
    }
    expect(text).not.toContain("127.0.0.1");
    expect(text).not.toContain(new URL(redisUrl).port);
    expect(await scanPrefix(redisUrl, prefix)).toEqual([]);
  });

  it("passes on the memory store and skips the email check when the app has no secret", async () => {
    const cache = track(createAuthCache({ store: memoryStore() }));
    const res = await createHealthHandler(cache)(new Request(url));
    const body = await res.json();

    expect(res.status).toBe(200);
    expect(body.store).toBe("memory");
    expect(body.checks.find((c: { name: string }) => c.name === "email")).toMatchObject({
      ok: true,
      skipped: true,
    });
  });

  it("answers 503 within its timeout when the store is down, naming the failing checks", async () => {
    const port = await closedPort();
    const store = redisStore({
      url: `redis://:hunter2@127.0.0.1:${port}`,
      connectTimeoutMs: 200,
      commandTimeoutMs: 200,
    });
    const cache = track(createAuthCache({ store, prefix, secret, timeoutMs: 200 }));
    const handler = createHealthHandler(cache, { timeoutMs: 600 });

    const started = performance.now();
    const res = await handler(new Request(url));
    const elapsed = performance.now() - started;
    const text = await res.text();
    const body = JSON.parse(text);

    expect(res.status).toBe(503);
    expect(elapsed).toBeLessThan(1000);
    expect(body.status).toBe("fail");
    expect(body.checks[0]).toMatchObject({ name: "ping", ok: false });
    expect(body.checks[0].code).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    for (const check of body.checks.slice(1))
      expect(check).toMatchObject({ ok: false, code: "not-run" });
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(String(port));
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it("answers in time when the store hangs and no client timeout would end the wait", async () => {
    const cache = track(createAuthCache({ store: hangingStore(), timeoutMs: 0 }));
    const handler = createHealthHandler(cache, { timeoutMs: 300 });

    const started = performance.now();
    const res = await handler(new Request(url));
    const elapsed = performance.now() - started;
    const body = await res.json();

    expect(res.status).toBe(503);
    expect(elapsed).toBeLessThan(700);
    expect(body.checks[0]).toMatchObject({ name: "ping", ok: false, code: "timeout" });
  });

  it("fails a check that succeeds but takes longer than its budget", async () => {
    const inner = memoryStore();
    const slow = new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop !== "ping") return value.bind(target);
        return async () => {
          await new Promise((resolve) => setTimeout(resolve, 60));
          return value.call(target);
        };
      },
    });
    const cache = track(createAuthCache({ store: slow }));
    const res = await createHealthHandler(cache, { budgetMs: 20 })(new Request(url));
    const body = await res.json();

    expect(res.status).toBe(503);
    expect(body.checks[0]).toMatchObject({ name: "ping", ok: false, code: "slow", budgetMs: 20 });
    // The store answered, so the operation checks still ran.
    expect(body.checks[1]).toMatchObject({ name: "session", ok: true });
  });

  it("with a token, refuses requests without it (401) and never touches the store", async () => {
    const counted = countingStore(memoryStore());
    const cache = track(createAuthCache({ store: counted.store }));
    const handler = createHealthHandler(cache, { token: "s3cret-token" });

    const none = await handler(new Request(url));
    const wrong = await handler(
      new Request(url, { headers: { authorization: "Bearer s3cret-tokem" } }),
    );
    const short = await handler(new Request(url, { headers: { authorization: "Bearer s3" } }));

    for (const res of [none, wrong, short]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(await res.text()).not.toContain("s3cret");
    }
    expect(counted.total()).toBe(0);

    const right = await handler(
      new Request(url, { headers: { authorization: "Bearer s3cret-token" } }),
    );
    expect(right.status).toBe(200);
    expect(counted.total()).toBeGreaterThan(0);
  });

  it("answers the liveness probe without any store call, even with the store down", async () => {
    const counted = countingStore(hangingStore());
    const cache = track(createAuthCache({ store: counted.store }));
    const handler = createHealthHandler(cache, { token: "t0ken" });

    const res = await handler(new Request(`${url}?probe=live`));

    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok", probe: "live" });
    expect(counted.total()).toBe(0);
  });

  it("serves 100 concurrent requests with one run against the store", async () => {
    const counted = countingStore(redisStore({ url: redisUrl }));
    const cache = track(createAuthCache({ store: counted.store, prefix, secret }));
    const handler = createHealthHandler(cache, { reuseMs: 0 });

    const responses = await Promise.all(
      Array.from({ length: 100 }, () => handler(new Request(url))),
    );
    const bodies = await Promise.all(responses.map((res) => res.json()));

    expect(responses.every((res) => res.status === 200)).toBe(true);
    expect(counted.calls.get("ping")).toBe(1);
    expect(new Set(bodies.map((b) => b.checkedAt)).size).toBe(1);
    // One run: a write and a read back per operation check, then one delete.
    expect(counted.calls.get("del")).toBe(1);
    expect(await scanPrefix(redisUrl, prefix)).toEqual([]);

    // Once that run is over, the next request starts a new one.
    await handler(new Request(url));
    expect(counted.calls.get("ping")).toBe(2);
  });

  it("reuses a fresh report for requests that follow within reuseMs", async () => {
    const counted = countingStore(memoryStore());
    const cache = track(createAuthCache({ store: counted.store }));
    const handler = createHealthHandler(cache, { reuseMs: 60_000 });

    await handler(new Request(url));
    await handler(new Request(url));

    expect(counted.calls.get("ping")).toBe(1);
  });
});
