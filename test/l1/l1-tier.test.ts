import { describe, expect, it } from "vitest";
import { parseOwners } from "../../src/cache/bus.js";
import { L1Tier } from "../../src/cache/l1.js";
import { InvalidOptionError } from "../../src/errors.js";

/** A tier on a clock the test moves by hand. */
function tier(options: { maxEntries?: number; ttlMs?: number } = {}, mode = "ttl-only" as const) {
  let now = 1_000;
  const l1 = new L1Tier(options, { mode, clock: () => now });
  return {
    l1,
    advance: (ms: number) => {
      now += ms;
    },
    fill: (key: string, value: unknown, owners: string[] = [`s:${key}`]) =>
      l1.set(key, value, owners, l1.ticket()!),
  };
}

describe("the L1 tier", () => {
  it("never serves an entry past ttlMs after the store was read for it", () => {
    const { l1, advance } = tier({ ttlMs: 100 });
    const ticket = l1.ticket()!;
    advance(60); // the store took 60 ms to answer
    l1.set("a", "value", ["s:a"], ticket);

    advance(39);
    expect(l1.get("a")).toBe("value");
    advance(1);
    expect(l1.get("a")).toBeUndefined();
    expect(l1.status.size).toBe(0);
  });

  it("refuses a fill whose read took longer than ttlMs", () => {
    const { l1, advance } = tier({ ttlMs: 100 });
    const ticket = l1.ticket()!;
    advance(100);
    expect(l1.set("a", 1, ["s:a"], ticket)).toBe(false);
  });

  it("keeps at most maxEntries, evicting the least recently used", () => {
    const { l1, fill } = tier({ maxEntries: 3 });
    for (const key of ["a", "b", "c"]) fill(key, key);
    l1.get("a"); // now the most recent
    fill("d", "d");

    expect(l1.status.size).toBe(3);
    expect(l1.get("b")).toBeUndefined();
    for (const key of ["a", "c", "d"]) expect(l1.get(key)).toBe(key);

    for (let i = 0; i < 100; i++) fill(`k${i}`, i);
    expect(l1.status.size).toBe(3);
  });

  it("drops every entry an owner owns, and nothing else", () => {
    const { l1, fill } = tier();
    fill("c:s1", 1, ["s:s1", "u:u1"]);
    fill("c:s2", 2, ["s:s2", "u:u1"]);
    fill("p:u1", 3, ["u:u1"]);
    fill("c:s3", 4, ["s:s3", "u:u2"]);

    l1.drop(["s:s1"]);
    expect(l1.get("c:s1")).toBeUndefined();
    expect(l1.get("c:s2")).toBe(2);

    l1.drop(["u:u1"]);
    expect(l1.get("c:s2")).toBeUndefined();
    expect(l1.get("p:u1")).toBeUndefined();
    expect(l1.get("c:s3")).toBe(4);
  });

  it("refuses a value read before a drop that landed while the read was in flight", () => {
    const { l1 } = tier();
    const before = l1.ticket()!;
    l1.drop(["s:s1"]);

    expect(l1.set("c:s1", "stale", ["s:s1"], before)).toBe(false);
    // Other owners are not held back by that drop.
    expect(l1.set("c:s2", "fine", ["s:s2"], before)).toBe(true);
    // A read that started after the drop may fill.
    expect(l1.set("c:s1", "fresh", ["s:s1"], l1.ticket()!)).toBe(true);
  });

  it("refuses fills that read before a flush", () => {
    const { l1 } = tier();
    const before = l1.ticket()!;
    l1.flush();
    expect(l1.set("a", 1, ["s:a"], before)).toBe(false);
  });

  it("bypasses itself while paused and starts empty when resumed", () => {
    const { l1, fill } = tier();
    fill("a", 1);
    const inFlight = l1.ticket()!;

    l1.pause();
    expect(l1.active).toBe(false);
    expect(l1.ticket()).toBeUndefined();
    expect(l1.get("a")).toBeUndefined();
    expect(l1.set("b", 2, ["s:b"], inFlight)).toBe(false);

    l1.resume();
    expect(l1.active).toBe(true);
    expect(l1.status.size).toBe(0);
    expect(l1.set("b", 2, ["s:b"], inFlight)).toBe(false);
  });

  it("with pub/sub, answers nothing until the subscription is confirmed", () => {
    let started = 0;
    const l1 = new L1Tier({}, { mode: "pubsub", onFirstUse: () => (started += 1) });
    expect(started).toBe(0);

    expect(l1.ticket()).toBeUndefined();
    expect(l1.get("a")).toBeUndefined();
    expect(started).toBe(1);

    l1.resume();
    expect(l1.ticket()).toBeDefined();
  });

  it("keeps its drop log bounded under a flood of invalidations", () => {
    const { l1 } = tier({ maxEntries: 10 });
    const before = l1.ticket()!;
    for (let i = 0; i < 5000; i++) l1.drop([`u:user${i}`]);
    // The log was folded into a floor: old reads are refused wholesale, new ones fill.
    expect(l1.set("c:s1", 1, ["s:s1"], before)).toBe(false);
    expect(l1.set("c:s1", 1, ["s:s1"], l1.ticket()!)).toBe(true);
  });

  it("rejects options it cannot honour, with a typed error", () => {
    for (const options of [{ maxEntries: 0 }, { maxEntries: 1.5 }, { ttlMs: 0 }, { ttlMs: -1 }]) {
      expect(() => new L1Tier(options, { mode: "ttl-only" })).toThrow(InvalidOptionError);
    }
  });
});

describe("invalidation messages", () => {
  it("name owners only, and anything malformed is ignored", () => {
    expect(parseOwners("s:abc u:user-1")).toEqual(["s:abc", "u:user-1"]);
    expect(parseOwners("")).toEqual([]);
    expect(parseOwners("x:abc s: u:{bad} ~probe s:ok")).toEqual(["s:ok"]);
    // The sender's id rides along and is not an owner.
    expect(parseOwners("o:0123abcd s:abc")).toEqual(["s:abc"]);
  });
});
