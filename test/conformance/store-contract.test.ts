/**
 * The store contract (`src/stores/types.ts`), proven against every store and client flavour on
 * real servers: memory, redis-server standalone and Cluster through node-redis and ioredis, and
 * the Upstash REST protocol. Each store gets its own random key prefix, so this file can share the
 * servers with any other test file running in parallel.
 */
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createKeySpace, type KeySpace } from "../../src/cache/keys.js";
import { keySlot } from "../../src/stores/redis-slots.js";
import type { Store } from "../../src/stores/types.js";
import { type Backend, storesUnderTest } from "./stores.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const envelope = (version: number, body: string) => `v1|${version}|${body}`;

describe.each(storesUnderTest())("store contract: $name", (target) => {
  let backend: Backend;
  let store: Store;
  let keys: KeySpace;
  let n = 0;
  /** A fresh id per test, so tests in this block never see each other's keys. */
  const id = () => `id${++n}`;

  beforeAll(async () => {
    backend = await target.make();
    store = backend.store;
    keys = createKeySpace(`t${Math.random().toString(36).slice(2, 10)}`);
  });

  afterAll(async () => {
    await backend?.dispose();
  });

  it("reads missing keys as null, and an empty list as an empty list", async () => {
    expect(await store.get([])).toEqual([]);
    expect(await store.get([keys.session(id()), keys.profile(id())])).toEqual([null, null]);
  });

  it("reads back exactly the strings it wrote", async () => {
    const values = [
      envelope(1, '{"name":"Ada","id":"0012"}'),
      "42",
      "0012",
      "106242075399214372653",
      "null",
      "true",
      '{"a": 1.0}',
      "héllo ✓ 日本 🎉",
      "",
    ];
    const written = values.map(() => keys.session(id()));

    for (const [i, key] of written.entries()) {
      expect(await store.write(key, values[i]!, MINUTE)).toBe(true);
    }
    expect(await store.get(written)).toEqual(values);
  });

  it("replaces the TTL on write, shorter or longer", async () => {
    const key = keys.session(id());
    await store.write(key, envelope(1, "a"), HOUR);
    await store.write(key, envelope(1, "b"), 5_000);

    const ttl = await store.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect(await store.get([key])).toEqual([envelope(1, "b")]);
  });

  it("refuses a write-back once the session's blacklist entry exists", async () => {
    const sid = id();
    const session = keys.session(sid);

    expect(await store.write(session, "first", MINUTE, { unlessExists: keys.blacklist(sid) })).toBe(
      true,
    );
    await store.write(keys.blacklist(sid), "1", MINUTE);
    expect(await store.write(session, "again", MINUTE, { unlessExists: keys.blacklist(sid) })).toBe(
      false,
    );
    expect(await store.get([session])).toEqual(["first"]);
  });

  it("keeps a newer profile when a stale read tries to write an older version", async () => {
    const key = keys.profile(id());

    expect(await store.write(key, envelope(200, "new"), MINUTE, { ifNewer: true })).toBe(true);
    expect(await store.write(key, envelope(100, "stale"), MINUTE, { ifNewer: true })).toBe(false);
    expect(await store.get([key])).toEqual([envelope(200, "new")]);

    expect(await store.write(key, envelope(200, "same"), MINUTE, { ifNewer: true })).toBe(true);
    expect(await store.write(key, envelope(300, "newer"), MINUTE, { ifNewer: true })).toBe(true);
    expect(await store.get([key])).toEqual([envelope(300, "newer")]);

    // Without the condition, versions are not looked at.
    expect(await store.write(key, envelope(1, "forced"), MINUTE)).toBe(true);
  });

  it("extend creates a key with its TTL and keeps an existing value", async () => {
    const created = keys.session(id());
    await store.extend(created, "made", MINUTE);
    expect(await store.get([created])).toEqual(["made"]);
    expect(await store.ttl(created)).toBeGreaterThan(MINUTE - 5_000);

    await store.extend(created, "ignored", MINUTE);
    expect(await store.get([created])).toEqual(["made"]);
  });

  it("extend never shortens a longer TTL and lengthens a shorter one", async () => {
    const long = keys.session(id());
    await store.write(long, "long", HOUR);
    await store.extend(long, "x", 1_000);
    expect(await store.ttl(long)).toBeGreaterThan(HOUR - MINUTE);

    const short = keys.session(id());
    await store.write(short, "short", 1_000);
    await store.extend(short, "x", HOUR);
    expect(await store.ttl(short)).toBeGreaterThan(HOUR - MINUTE);
    expect(await store.get([long, short])).toEqual(["long", "short"]);
  });

  it("raise keeps the largest number and never shortens its TTL", async () => {
    const key = keys.watermark(id());

    await store.raise(key, 1_700_000_000_000, MINUTE);
    expect(await store.get([key])).toEqual(["1700000000000"]);
    expect(await store.ttl(key)).toBeGreaterThan(0);

    await store.raise(key, 1_600_000_000_000, HOUR);
    expect(await store.get([key])).toEqual(["1700000000000"]);
    expect(await store.ttl(key)).toBeGreaterThan(HOUR - MINUTE);

    await store.raise(key, 1_800_000_000_000, 1_000);
    expect(await store.get([key])).toEqual(["1800000000000"]);
    expect(await store.ttl(key)).toBeGreaterThan(HOUR - MINUTE);
  });

  it("raise gives a TTL to a key that had a shorter one, whatever its value", async () => {
    const key = keys.watermark(id());
    await store.write(key, "5", 1_000);

    await store.raise(key, 3, HOUR);
    expect(await store.get([key])).toEqual(["5"]);
    expect(await store.ttl(key)).toBeGreaterThan(HOUR - MINUTE);
  });

  it("del counts only the keys that existed, across hash tags", async () => {
    const present = [keys.session(id()), keys.profile(id()), keys.email(id())];
    for (const key of present) await store.write(key, "x", MINUTE);

    expect(await store.del([...present, keys.session(id())])).toBe(3);
    expect(await store.get(present)).toEqual([null, null, null]);
    expect(await store.del([])).toBe(0);
  });

  it("ttl is null for a missing key", async () => {
    expect(await store.ttl(keys.session(id()))).toBeNull();
  });

  it("reads and deletes many keys of different hash tags in one call, in order", async () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      i % 2 ? keys.session(id()) : keys.profile(id()),
    );
    for (const [i, key] of many.entries()) {
      if (i % 3) await store.write(key, `value-${i}`, MINUTE);
    }

    const expected = many.map((_, i) => (i % 3 ? `value-${i}` : null));
    expect(await store.get(many)).toEqual(expected);
    expect(await store.del(many)).toBe(expected.filter((v) => v !== null).length);
  });

  it("indexes sessions by expiry, prunes expired ones, and removes on demand", async () => {
    const index = keys.index(id());
    const now = Date.now();

    await store.indexAdd(index, "s-late", now + HOUR, '{"ua":"late"}', now);
    await store.indexAdd(index, "s-early", now + MINUTE, '{"ua":"early"}', now);
    await store.indexAdd(index, "s-soon", now + 2 * MINUTE, "plain meta", now);
    await store.indexAdd(index, "s-dead", now - 1, "gone", now);

    expect(await store.indexList(index, now)).toEqual([
      { member: "s-early", expiresAt: now + MINUTE, meta: '{"ua":"early"}' },
      { member: "s-soon", expiresAt: now + 2 * MINUTE, meta: "plain meta" },
      { member: "s-late", expiresAt: now + HOUR, meta: '{"ua":"late"}' },
    ]);

    // Both keys live as long as the latest member, even after a shorter one was added.
    expect(await store.ttl(index.set)).toBeGreaterThan(HOUR - MINUTE);
    expect(await store.ttl(index.meta)).toBeGreaterThan(HOUR - MINUTE);

    // Later, the first two have expired and are pruned.
    const later = now + 3 * MINUTE;
    expect((await store.indexList(index, later)).map((e) => e.member)).toEqual(["s-late"]);

    await store.indexAdd(index, "s-new", later + MINUTE, "new", later);
    await store.indexRemove(index, ["s-late", "s-missing"]);
    expect(await store.indexList(index, later)).toEqual([
      { member: "s-new", expiresAt: later + MINUTE, meta: "new" },
    ]);
    expect(await store.ttl(index.set)).toBeGreaterThan(0);
    expect(await store.ttl(index.meta)).toBeGreaterThan(0);

    await store.indexRemove(index, ["s-new"]);
    expect(await store.indexList(index, later)).toEqual([]);
    await store.indexRemove(index, []);
  });

  it("keeps an index within its limit by dropping the members that expire first", async () => {
    const index = keys.index(id());
    const now = Date.now();

    for (let i = 1; i <= 5; i++) {
      await store.indexAdd(index, `s${i}`, now + i * MINUTE, `meta${i}`, now, 3);
    }

    expect(await store.indexList(index, now)).toEqual([
      { member: "s3", expiresAt: now + 3 * MINUTE, meta: "meta3" },
      { member: "s4", expiresAt: now + 4 * MINUTE, meta: "meta4" },
      { member: "s5", expiresAt: now + 5 * MINUTE, meta: "meta5" },
    ]);
  });

  it("lists an index that was never written as empty", async () => {
    expect(await store.indexList(keys.index(id()), Date.now())).toEqual([]);
  });

  it("answers ping", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  // Runs last in this block: every key any test above left behind must carry a TTL. The memory
  // store has no server to SCAN, so the test exists only for stores on redis-server nodes.
  const onServers =
    target.nodes.length > 0 ? it : (_name: string, _test: () => Promise<void>) => {};
  onServers("left no key without a TTL (SCAN on every node)", async () => {
    const perNode: number[] = [];
    for (const node of target.nodes) {
      let seen = 0;
      const client = createClient({ url: `redis://${node.host}:${node.port}` });
      await client.connect();
      try {
        const match = `${keys.prefix}:*`;
        for await (const batch of client.scanIterator({ MATCH: match, COUNT: 500 })) {
          for (const key of batch) {
            seen++;
            expect(await client.pTTL(key), key).toBeGreaterThan(0);
          }
        }
      } finally {
        await client.close();
      }
      perNode.push(seen);
    }

    expect(perNode.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // On the cluster the keys really were spread over several nodes.
    if (target.cluster) expect(perNode.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});

describe("redis-slots", () => {
  it("computes the same slot as the cluster for plain and hash-tagged keys", async () => {
    const [node] = inject("servers").clusterNodes;
    const client = createClient({ url: `redis://${node!.host}:${node!.port}` });
    await client.connect();
    try {
      const samples = ["foo", "123456789", "a:{u:42}:profile", "{}x", "x{}{y}", "{a}{b}", "é{ü}"];
      for (const key of samples) {
        expect(keySlot(key), key).toBe(await client.clusterKeySlot(key));
      }
    } finally {
      await client.close();
    }
  });
});
