import { describe, expect, it } from "vitest";
import { memoryStore } from "../../src/stores/memory.js";

describe("memory store", () => {
  it("evicts the least recently used entry when full", async () => {
    const store = memoryStore({ maxEntries: 2 });
    await store.write("a", "1", 60_000);
    await store.write("b", "2", 60_000);
    await store.get(["a"]);
    await store.write("c", "3", 60_000);

    expect(await store.get(["a", "b", "c"])).toEqual(["1", null, "3"]);
  });

  it("expires entries by its clock, without timers", async () => {
    let t = 1_000;
    const store = memoryStore({ now: () => t });
    await store.write("a", "1", 500);

    t += 499;
    expect(await store.get(["a"])).toEqual(["1"]);
    t += 1;
    expect(await store.get(["a"])).toEqual([null]);
    expect(await store.ttl("a")).toBeNull();
  });

  it("is one object per shared name, as separate Next.js bundles need", () => {
    const name = `shared-${Math.random()}`;
    expect(memoryStore({ shareAs: name })).toBe(memoryStore({ shareAs: name }));
    expect(memoryStore()).not.toBe(memoryStore());
  });

  it("refuses a nonsensical size", () => {
    expect(() => memoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe("memory store revocations", () => {
  it("never evicts a blacklist entry, however many sessions sign in after it", async () => {
    const store = memoryStore({ maxEntries: 10 });
    await store.extend("bl:s1", "1", 60_000);
    await store.raise("wm:u1", 42, 60_000);

    for (let i = 0; i < 100; i++) await store.write(`session:${i}`, "x", 60_000);

    expect(await store.get(["bl:s1", "wm:u1"])).toEqual(["1", "42"]);
  });

  it("lets a revocation go when its TTL ends", async () => {
    let t = 0;
    const store = memoryStore({ now: () => t });
    await store.extend("bl:s1", "1", 1000);

    t = 1000;
    expect(await store.get(["bl:s1"])).toEqual([null]);
    expect(await store.ttl("bl:s1")).toBeNull();
  });
});
