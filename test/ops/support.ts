/**
 * Helpers for the operations tests: a store wrapper that counts calls (to prove what a request
 * did or did not touch), a loopback port nobody listens on, and a SCAN of a test's prefix.
 */
import { createServer } from "node:net";
import { createClient } from "redis";
import type { Store } from "../../src/stores/types.js";

/** Wraps `inner`, counting calls per operation; `total()` sums them. */
export function countingStore(inner: Store) {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "close") return value;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  const total = () => [...calls.values()].reduce((a, b) => a + b, 0);
  return { store, calls, total };
}

/** A store whose every call hangs forever: a frozen server behind a client with no timeout. */
export function hangingStore(kind = "redis"): Store {
  const never = () => new Promise<never>(() => {});
  return {
    kind,
    get: never,
    write: never,
    extend: never,
    raise: never,
    del: never,
    ttl: never,
    indexAdd: never,
    indexList: never,
    indexRemove: never,
    ping: never,
    close: async () => {},
  };
}

/** A loopback port that was just free: bound by the OS, then released. */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

/** Every key under `prefix:` on the test server, by SCAN. */
export async function scanPrefix(url: string, prefix: string): Promise<string[]> {
  const client = createClient({ url });
  client.on("error", () => {});
  await client.connect();
  try {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const reply = (await client.sendCommand([
        "SCAN",
        cursor,
        "MATCH",
        `${prefix}:*`,
        "COUNT",
        "1000",
      ])) as unknown as [unknown, unknown[]];
      cursor = String(reply[0]);
      keys.push(...reply[1].map(String));
    } while (cursor !== "0");
    return keys;
  } finally {
    await client.close();
  }
}

export function randomPrefix(name: string): string {
  return `t-${name}-${Math.random().toString(36).slice(2, 10)}`;
}
