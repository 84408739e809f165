/**
 * better-auth's session read with its sessions in Redis as secondary storage (node-redis on the
 * run's own redis-server), the way its documentation wires it. Its primary database is the
 * in-memory adapter with every call counted, so the table shows whether a read reaches it.
 */
import type { BetterAuthOptions } from "better-auth";
import type { RowSpec } from "../reader.js";
import { expectUser } from "../reader.js";
import { notInstalled } from "./installed.js";

const ORIGIN = "http://localhost:3000";
const SECRET = "better-auth-bench-secret-of-sufficient-length";
const DB_METHODS = new Set([
  "create",
  "findOne",
  "findMany",
  "count",
  "update",
  "updateMany",
  "delete",
  "deleteMany",
]);

export function betterAuthRow(): RowSpec {
  const label = "better-auth getSession, Redis secondary storage";
  return {
    id: "peer-better-auth-redis",
    label,
    group: "peer",
    unavailable: notInstalled("better-auth", "better-auth/adapters/memory", "redis"),
    build: async (ctx) => {
      const { betterAuth } = await import("better-auth");
      const { memoryAdapter } = await import("better-auth/adapters/memory");
      const { createClient } = await import("redis");

      const redis = createClient({ url: ctx.redisUrl });
      redis.on("error", () => {});
      await redis.connect();
      const key = (k: string) => `${ctx.prefix}:${k}`;

      const db = { user: [], session: [], account: [], verification: [] };
      const memory = memoryAdapter(db);
      const auth = betterAuth({
        baseURL: ORIGIN,
        secret: SECRET,
        telemetry: { enabled: false },
        // Measured here: the session read itself, not request rate limiting.
        rateLimit: { enabled: false },
        emailAndPassword: { enabled: true },
        logger: { disabled: true },
        database: (options: BetterAuthOptions) => {
          const adapter = memory(options);
          return new Proxy(adapter, {
            get(target, name, receiver) {
              const value = Reflect.get(target, name, receiver);
              if (typeof name !== "string" || !DB_METHODS.has(name)) return value;
              if (typeof value !== "function") return value;
              return (...args: unknown[]) => {
                ctx.sql.queries++;
                return value.apply(target, args);
              };
            },
          });
        },
        secondaryStorage: {
          get: (k) => redis.get(key(k)),
          getAndDelete: (k) => redis.getDel(key(k)),
          set: async (k, value, ttl) => {
            if (ttl) await redis.set(key(k), value, { EX: ttl });
            else await redis.set(key(k), value);
          },
          delete: async (k) => {
            await redis.del(key(k));
          },
          increment: async (k, ttl) => {
            const [count] = await redis.multi().incr(key(k)).expire(key(k), ttl, "NX").exec();
            return Number(count);
          },
        },
      });

      const signUp = await auth.api.signUpEmail({
        body: { email: "ada@example.com", password: "correct horse battery", name: "Ada" },
        returnHeaders: true,
      });
      const cookie = signUp.headers
        .getSetCookie()
        .map((header) => header.split(";")[0])
        .join("; ");

      const read = async () => {
        const response = await auth.handler(
          new Request(`${ORIGIN}/api/auth/get-session`, { headers: { cookie } }),
        );
        response.headers.getSetCookie();
        const text = await response.text();
        return text ? JSON.parse(text) : null;
      };

      expectUser(label, await read());
      return { read, close: () => redis.close() };
    },
  };
}
