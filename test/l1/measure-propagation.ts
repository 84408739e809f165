/**
 * How long a revocation made on one instance takes to show on another that answers from its L1
 * tier: two caches with their own clients on a redis-server (and a Cluster) of this script's own.
 * Each trial warms B's tier with the session, revokes it on A, and polls B until it answers
 * revoked; the time runs from the start of A's call. Not a test: run it and read the figures.
 *
 *   node --import tsx test/l1/measure-propagation.ts [trials]
 */
import { startCluster, startRedis } from "../support/redis-server.js";
import { type Flavour, instance, prefix, type Target } from "./support.js";

const trials = Number(process.argv[2] ?? 200);

async function measure(flavour: Flavour, target: Target): Promise<number[]> {
  const shared = prefix();
  const a = await instance(flavour, target, { prefix: shared });
  const b = await instance(flavour, target, { prefix: shared });
  await a.cache.cacheUserProfile("u1", { name: "Ada" });

  const samples: number[] = [];
  try {
    for (let i = 0; i < trials; i++) {
      const session = { sessionId: `s${i}`, userId: "u1", issuedAt: Date.now() - 1000 };
      await b.cache.checkSession(session);
      if ((await b.cache.checkSession(session)).revoked) throw new Error("revoked too early");

      const started = performance.now();
      const revoking = a.cache.revokeSession("u1", session.sessionId);
      while (!(await b.cache.checkSession(session)).revoked) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      samples.push(performance.now() - started);
      await revoking;
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  return samples.sort((x, y) => x - y);
}

const at = (s: number[], q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(2)} ms`;

const redis = await startRedis();
const cluster = await startCluster();
try {
  const runs: [Flavour, Target][] = [
    ["node-redis url", { url: redis.url }],
    ["ioredis", { url: redis.url }],
    ["node-redis cluster", { clusterNodes: cluster.nodes }],
    ["ioredis cluster", { clusterNodes: cluster.nodes }],
  ];
  console.log(`revocation on A seen by B's L1, ${trials} trials each`);
  for (const [flavour, target] of runs) {
    const s = await measure(flavour, target);
    console.log(
      `${flavour.padEnd(20)} p50 ${ms(at(s, 0.5))}  p99 ${ms(at(s, 0.99))}  max ${ms(s.at(-1) ?? NaN)}`,
    );
  }
} finally {
  await Promise.all([redis.stop(), cluster.stop()]);
}
