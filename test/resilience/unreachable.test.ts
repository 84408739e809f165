/**
 * A Redis that is not there at all: a URL pointing at a loopback port nobody listens on (the OS
 * picked it free a moment ago, and nothing here opens it again). Requests keep being answered from
 * the app's own database, within the timeout, and nothing piles up in memory.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { redisStore } from "../../src/stores/redis.js";
import { freePort } from "../support/redis-server.js";
import {
  collectGarbage,
  eventTally,
  isSession,
  makeApp,
  read,
  reissue,
  signIn,
  sleep,
  UserDb,
  watchProcess,
} from "./support.js";

const TIMEOUT_MS = 200;
/** The deadline fires up to a tick late; the rest is room for a loaded two-core machine. */
const BOUND_MS = TIMEOUT_MS * 1.2 + 400;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// The store loads its client library on its first call, which blocks the event loop for a
// while once per process; that is not what these tests time.
beforeAll(async () => {
  await import("redis");
});

async function closedPortUrl(): Promise<string> {
  return `redis://127.0.0.1:${await freePort()}`;
}

describe("redis unreachable", () => {
  it.each([
    ["with the breaker (the default)", undefined],
    // Every read then reaches the client: proves the client itself queues nothing.
    ["with the breaker kept closed", { threshold: Number.POSITIVE_INFINITY }],
  ])(
    "serves 1000 profile reads from the loader within about the timeout, and memory stays flat, %s",
    async (_, breaker) => {
      const db = new UserDb();
      for (let i = 0; i < 100; i++) db.add(`user-${i}`);
      const app = makeApp(
        { store: redisStore({ url: await closedPortUrl() }), timeoutMs: TIMEOUT_MS, breaker },
        db,
      );
      cleanups.push(() => app.cache.close());

      // 100 reads at a time, of 100 different users, so single-flight cannot merge them.
      let slowest = 0;
      const readAll = async (rounds: number) => {
        for (let round = 0; round < rounds; round++) {
          await Promise.all(
            Array.from({ length: 100 }, async (_, i) => {
              const started = performance.now();
              const profile = await app.cache.getUserProfile(`user-${i}`);
              slowest = Math.max(slowest, performance.now() - started);
              expect(profile?.id).toBe(`user-${i}`);
            }),
          );
        }
      };

      await readAll(10);
      const first = { slowestMs: Math.round(slowest), loads: db.loads };
      expect(first.slowestMs, JSON.stringify(first)).toBeLessThan(BOUND_MS);
      expect(first.loads, JSON.stringify(first)).toBe(1000);

      // Memory: after the first thousand, twenty thousand more reads leave the heap where it
      // was. Were each call to leave a pending command behind (a few hundred bytes each, with
      // its promise), that would be megabytes.
      const gc = collectGarbage();
      gc?.();
      const before = process.memoryUsage().heapUsed;
      await readAll(200);
      gc?.();
      const figures = {
        breaker: breaker ?? "default",
        slowestMs: Math.round(slowest),
        grownKB: Math.round((process.memoryUsage().heapUsed - before) / 1024),
        gc: gc !== undefined,
      };
      console.info("closed port", figures);

      expect(figures.slowestMs, JSON.stringify(figures)).toBeLessThan(BOUND_MS);
      // Without a forced collection, leave room for garbage not yet collected.
      expect(figures.grownKB, JSON.stringify(figures)).toBeLessThan(gc ? 3 * 1024 : 16 * 1024);
    },
    30_000,
  );

  it("stays up with an unreachable REDIS_URL at start: 50 jwt calls return fallback tokens and the errors are counted", async () => {
    vi.stubEnv("REDIS_URL", await closedPortUrl());
    const watch = watchProcess();
    cleanups.push(async () => watch.stop());
    const tally = eventTally();
    const clientErrors: unknown[] = [];
    const app = makeApp({
      store: redisStore({ onError: (error) => clientErrors.push(error) }),
      timeoutMs: TIMEOUT_MS,
      onEvent: tally.listener,
    });
    cleanups.push(() => app.cache.close());

    // Sign-in itself works without the store; every later read falls back to the database.
    let token = await signIn(app, "user-1");
    let slowest = 0;
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const result = await read(app, token);
      slowest = Math.max(slowest, performance.now() - started);
      expect(isSession(result, "user-1")).toBe(true);
      token = reissue(result as Record<string, unknown>);
      // A second's worth of requests, so the breaker probes the store a few times meanwhile.
      await sleep(20);
    }

    console.info("unreachable REDIS_URL", {
      errors: Object.fromEntries(tally.errors),
      clientErrors: clientErrors.length,
      fallbacks: tally.fallbacks,
      slowestMs: Math.round(slowest),
    });
    expect(token.role).toBe("member");
    expect(slowest).toBeLessThan(BOUND_MS);
    expect(tally.errorTotal()).toBeGreaterThan(0);
    // Counted by operation: the sign-in's writes, then the reads' probes of the store.
    expect([...tally.errors.keys()].some((key) => key.startsWith("write:"))).toBe(true);
    expect([...tally.errors.keys()].some((key) => key.startsWith("get:"))).toBe(true);
    expect(tally.fallbacks).toBeGreaterThanOrEqual(50);
    // The client's connection errors reached a listener instead of crashing the process.
    expect(clientErrors.length).toBeGreaterThan(0);
    expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });
    expect(app.cache.store.breakerState).not.toBe("closed");
  }, 20_000);
  it("answers every jwt call, without an unhandled rejection, when the database fails too", async () => {
    const watch = watchProcess();
    cleanups.push(async () => watch.stop());
    const db = new UserDb();
    const app = makeApp(
      { store: redisStore({ url: await closedPortUrl() }), timeoutMs: TIMEOUT_MS },
      db,
    );
    cleanups.push(() => app.cache.close());
    let token = await signIn(app, "user-1");

    // The database throws, then rejects, then answers that the user is gone, in turn.
    let n = 0;
    db.fault = async () => {
      n += 1;
      if (n % 3 === 0) throw new Error("connection pool exhausted");
      if (n % 3 === 1) return Promise.reject(new Error("query timeout"));
      return null;
    };
    const outcomes = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const result = await read(app, token).then(
        (value) => value,
        () => "rejected" as const,
      );
      expect(result).not.toBe("rejected");
      outcomes.add(isSession(result as never, "user-1") ? "session" : "signed-out");
      if (isSession(result as never, "user-1")) token = reissue(result as never);
    }

    expect(watch.seen).toEqual({ rejections: 0, exceptions: 0 });
    // The policy allows sessions while the store is down; the database's failures change nothing.
    expect([...outcomes]).toEqual(["session"]);
    expect(n).toBeGreaterThanOrEqual(30);
  });
});
