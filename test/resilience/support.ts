/**
 * What the resilience tests share: an app wired the way Auth.js runs it (the wrapped jwt callback
 * called with the arguments Auth.js passes), a user database standing in for the app's own, a
 * log that records lines, event tallies, latency figures and a watch on unhandled rejections.
 */
import { randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createAuthCache } from "../../src/cache/auth-cache.js";
import type { CacheEvent } from "../../src/cache/events.js";
import type { AuthCacheOptions, Profile } from "../../src/cache/types.js";
import type { Logger } from "../../src/logger.js";
import { CLAIMS, type JWTLike, withAuthCache } from "../../src/next-auth/index.js";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The app's users, as its database holds them; `revokedBefore` is its "sign out everywhere". */
export class UserDb {
  readonly users = new Map<string, Profile>();
  loads = 0;

  add(id: string): Profile {
    const user = { id, name: `User ${id}`, email: `${id}@example.test`, role: "member" };
    this.users.set(id, user);
    return user;
  }

  /** When set, answers reads in the database's place: a failing database. */
  fault: ((id: string) => Promise<Profile | null>) | null = null;

  /** A database read: a millisecond away, like a pooled query on the same network. */
  readonly load = async (id: string): Promise<Profile | null> => {
    this.loads += 1;
    if (this.fault) return this.fault(id);
    await sleep(1);
    const user = this.users.get(id);
    return user ? { ...user } : null;
  };
}

/** Records every line a level receives; enough to count how chatty an outage is. */
export function recordingLogger() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, msg = "") =>
      lines.push({ level, msg, fields });
  const logger: Logger = {
    error: at("error"),
    warn: at("warn"),
    info: at("info"),
    debug: at("debug"),
  };
  return { logger, lines, loud: () => lines.filter((l) => l.level !== "debug") };
}

/** Tallies of the cache's events, and the time of each store call that succeeded. */
export function eventTally() {
  const errors = new Map<string, number>();
  const breaker: { state: string; at: number }[] = [];
  const successes: number[] = [];
  let storeHits = 0;
  let fallbacks = 0;

  const listener = (event: CacheEvent) => {
    if (event.type === "error") {
      const key = `${event.op}:${event.code}`;
      errors.set(key, (errors.get(key) ?? 0) + 1);
    } else if (event.type === "breaker") {
      breaker.push({ state: event.state, at: performance.now() });
    } else if (event.type === "store-latency") {
      successes.push(performance.now());
    } else if (event.type === "hit") {
      storeHits += 1;
    } else if (event.type === "fallback") {
      fallbacks += 1;
    }
  };

  return {
    listener,
    errors,
    breaker,
    errorTotal: () => [...errors.values()].reduce((sum, n) => sum + n, 0),
    /** The first store call that succeeded at or after `t` (a `performance.now()` time). */
    firstSuccessAfter: (t: number) => successes.find((s) => s >= t),
    get storeHits() {
      return storeHits;
    },
    get fallbacks() {
      return fallbacks;
    },
  };
}

export interface App {
  jwt: (params: {
    token: JWTLike;
    user?: unknown;
    trigger?: "signIn" | "update";
    session?: unknown;
  }) => Promise<JWTLike | null>;
  signOut: (message: { token: JWTLike }) => Promise<void>;
  cache: ReturnType<typeof createAuthCache>;
  db: UserDb;
}

/** An app over `options`' store, its jwt callback wrapped as an app would wrap it. */
export function makeApp(options: AuthCacheOptions, db = new UserDb()): App {
  const cache = createAuthCache({
    secret: "resilience-secret",
    prefix: `rs${Math.random().toString(36).slice(2, 10)}`,
    loadUser: db.load,
    ...options,
  });
  const wrapped = withAuthCache(
    cache,
    {
      providers: [],
      session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
      callbacks: {
        // An app's own callback, keeping a claim of its own in the token.
        jwt: async ({ token, user }: { token: JWTLike; user?: { role?: string } }) => ({
          ...token,
          role: user?.role ?? token.role ?? "member",
        }),
      },
    },
    // Refreshes come often enough that outages also hit the sliding-TTL writes.
    { touchIntervalMs: 500 },
  );

  return {
    jwt: wrapped.callbacks.jwt as App["jwt"],
    signOut: wrapped.events.signOut as App["signOut"],
    cache,
    db,
  };
}

/** Signs a user in as Auth.js does after the credentials provider accepted them. */
export async function signIn(app: App, userId: string): Promise<JWTLike> {
  const user = app.db.users.get(userId) ?? app.db.add(userId);
  const token = await app.jwt({
    token: { name: user.name, email: user.email, picture: null, sub: userId },
    user: { ...user },
    trigger: "signIn",
  });
  if (!isSession(token, userId)) throw new Error("sign-in did not produce a session token");
  return reissue(token);
}

/** What the next request's cookie decodes to: the same claims, a fresh `iat`/`exp`/`jti`. */
export function reissue(token: JWTLike): JWTLike {
  const now = Math.floor(Date.now() / 1000);
  return { ...token, iat: now, exp: now + 30 * 24 * 3600, jti: randomUUID() };
}

/** A read of the session, as GET /api/auth/session runs the callback. */
export function read(app: App, token: JWTLike): Promise<JWTLike | null> {
  return app.jwt({ token });
}

/** A live session token for `userId`, neither the v4 signed-out marker nor `null`. */
export function isSession(token: JWTLike | null, userId: string): token is JWTLike {
  return (
    token !== null &&
    token[CLAIMS.signedOut] !== 1 &&
    token.sub === userId &&
    typeof token[CLAIMS.sessionId] === "string"
  );
}

/** The flavor's clean sign-out: `null` on @auth/core, the signed-out marker on v4. */
export function isSignedOutResult(token: JWTLike | null): boolean {
  return token === null || token[CLAIMS.signedOut] === 1;
}

/** Counts unhandled rejections and uncaught exceptions while installed. */
export function watchProcess() {
  const seen = { rejections: 0, exceptions: 0 };
  const onRejection = () => {
    seen.rejections += 1;
  };
  const onException = () => {
    seen.exceptions += 1;
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return {
    seen,
    stop() {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    },
  };
}

/** Latencies of one phase of a run: count, percentiles and maximum, in ms. */
export class Latencies {
  readonly #values: number[] = [];

  add(ms: number): void {
    this.#values.push(ms);
  }

  get count(): number {
    return this.#values.length;
  }

  values(): readonly number[] {
    return this.#values;
  }

  summary() {
    const sorted = [...this.#values].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      n: sorted.length,
      p50: round(at(0.5)),
      p99: round(at(0.99)),
      max: round(sorted.at(-1) ?? 0),
    };
  }
}

/** A full garbage collection, when V8 lets a running process ask for one. */
export function collectGarbage(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}
