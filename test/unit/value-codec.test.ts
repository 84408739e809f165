import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeValue, encodeValue } from "../../src/cache/value-codec.js";

describe("value codec", () => {
  it("round-trips any JSON-like value with Dates and BigInts exactly", () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      fc.bigInt(),
      fc.date({ noInvalidDate: true }),
    );
    const value = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("tree")),
        fc.dictionary(fc.string(), tie("tree")),
      ),
    })).tree;

    fc.assert(
      fc.property(value, (v) => {
        expect(decodeValue(encodeValue(v))).toEqual(v);
      }),
    );
  });

  it("keeps an invalid Date as an invalid Date", () => {
    const back = decodeValue(encodeValue({ at: new Date(Number.NaN) })) as { at: Date };
    expect(back.at).toBeInstanceOf(Date);
    expect(Number.isNaN(back.at.getTime())).toBe(true);
  });

  it("does not mistake user data shaped like a tag for a tag", () => {
    const data = { $ac: "bigint", v: "12" };
    expect(decodeValue(encodeValue(data))).toEqual(data);
  });

  it("reads an unknown tag from a newer writer without throwing", () => {
    expect(decodeValue('{"$ac":"future","v":{"a":1}}')).toEqual({ a: 1 });
    expect(decodeValue('{"$ac":"bigint","v":"not-a-number"}')).toBe("not-a-number");
  });
});

describe("value codec and hostile keys", () => {
  it("keeps a `__proto__` key as data, without touching the object's prototype", () => {
    const value = JSON.parse('{"__proto__": {"isAdmin": true}, "name": "x"}') as Record<
      string,
      unknown
    >;
    const back = decodeValue(encodeValue(value)) as Record<string, unknown>;

    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect((back as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.keys(back)).toEqual(["__proto__", "name"]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ isAdmin: true });
  });
});

describe("value codec limits", () => {
  it("refuses nesting deeper than 64 levels with a typed error, not a stack overflow", async () => {
    const { UnstorableValueError } = await import("../../src/errors.js");
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20_000; i++) {
      const next = {};
      deep.child = next;
      deep = next;
    }
    expect(() => encodeValue(root)).toThrow(UnstorableValueError);
  });
});
