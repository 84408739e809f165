import { UnstorableValueError } from "../errors.js";

/**
 * Turns cache values into JSON text and back, losslessly for what user data holds:
 * - strings stay strings ("42", "0012", 21-digit ids are never parsed as numbers);
 * - a `Date` comes back as a `Date` of the same time (an invalid Date as an invalid Date);
 * - a BigInt comes back as the same BigInt. This is the one rule for BigInt inside the cache.
 *   Tokens are different: JWT claims cannot carry a BigInt, so the Auth.js wrapper turns a BigInt
 *   claim into its decimal string before it caches or returns the token;
 * - objects with a `toJSON` method (other than Date) are stored as what it returns;
 * - `undefined` properties are left out, as JSON does; non-finite numbers become `null`.
 * Functions, symbols, cycles, Map and Set cannot be carried faithfully, and nesting deeper than
 * 64 levels is refused: they raise `UnstorableValueError` at the call that tried to store them.
 *
 * Tagged values are objects with a single `$ac` marker; a user object that happens to have an
 * `$ac` key is itself wrapped, so decoding never mistakes data for a tag.
 */
const TAG = "$ac";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function encodeValue(value: unknown): string {
  return JSON.stringify(toJson(value, "$", new Set()));
}

export function decodeValue(text: string): unknown {
  return fromJson(JSON.parse(text) as Json);
}

/** Deeper than any profile or token needs; deeper input is refused rather than overflowing. */
const MAX_DEPTH = 64;

function toJson(value: unknown, path: string, seen: Set<object>): Json {
  if (seen.size > MAX_DEPTH) {
    throw new UnstorableValueError(
      path,
      `nesting deeper than ${MAX_DEPTH} levels cannot be stored`,
    );
  }

  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return { [TAG]: "bigint", v: value.toString() };
    case "undefined":
      return null;
    case "function":
    case "symbol":
      throw new UnstorableValueError(path, `a ${typeof value} cannot be stored`);
  }

  if (value === null) return null;
  if (value instanceof Date) {
    const time = value.getTime();
    return { [TAG]: "date", v: Number.isNaN(time) ? null : value.toISOString() };
  }

  const obj = value as object;
  if (seen.has(obj)) throw new UnstorableValueError(path, "a circular reference cannot be stored");
  if (obj instanceof Map || obj instanceof Set) {
    throw new UnstorableValueError(path, "a Map or Set cannot be stored; use a plain object");
  }

  const withToJson = obj as { toJSON?: unknown };
  if (typeof withToJson.toJSON === "function") {
    return toJson((withToJson.toJSON as () => unknown)(), path, seen);
  }

  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((item, i) => toJson(item, `${path}[${i}]`, seen));

    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(obj)) {
      if (item === undefined) continue;
      setOwn(out, key, toJson(item, `${path}.${key}`, seen));
    }
    return TAG in out ? { [TAG]: "obj", v: out } : out;
  } finally {
    seen.delete(obj);
  }
}

function fromJson(json: Json): unknown {
  if (json === null || typeof json !== "object") return json;
  if (Array.isArray(json)) return json.map(fromJson);

  const tag = json[TAG];
  if (typeof tag === "string") return fromTagged(tag, json.v);

  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(json)) setOwn(out, key, fromJson(item));
  return out;
}

function fromTagged(tag: string, v: Json | undefined): unknown {
  if (tag === "date") return new Date(typeof v === "string" ? v : Number.NaN);
  if (tag === "bigint" && typeof v === "string") {
    try {
      return BigInt(v);
    } catch {
      return v;
    }
  }
  if (tag === "obj" && v !== null && typeof v === "object" && !Array.isArray(v)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) setOwn(out, key, fromJson(item));
    return out;
  }

  // An unknown tag from a newer writer: hand back the raw value rather than fail a read.
  return v === undefined ? null : fromJson(v);
}

/**
 * Sets an own property, even one named `__proto__`: plain assignment would change the object's
 * prototype instead, losing the data (and letting stored data shape objects it should not).
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
