/**
 * Makes any value safe to become JWT claims: the result is built only from plain objects,
 * arrays, strings, finite numbers, booleans and null, so JSON and `structuredClone` both carry
 * it unchanged. Auth.js fails a whole request on a BigInt, a cycle or a function in the token
 * (and v4 answers that request with the previous user's session), so the wrapper never lets
 * one through.
 *
 * Rules, chosen to match what `JSON.stringify` would have produced where it succeeds:
 * - BigInt becomes its decimal string (ids beyond 2^53 stay exact);
 * - a Date becomes its ISO string, an invalid Date is dropped;
 * - functions, symbols, `undefined` and non-finite numbers are dropped (`null` inside arrays),
 *   and -0 becomes 0;
 * - an object with `toJSON` is replaced by what it returns; other class instances keep their
 *   own enumerable fields; a reference back to an enclosing object is dropped;
 * - nesting deeper than 32 levels and array items past 10,000 are dropped (a token that size
 *   could never fit a cookie anyway), and a getter that throws drops its field.
 */

const MAX_DEPTH = 32;
const MAX_ITEMS = 10_000;
const DROP = Symbol("drop");

/** A JSON- and clone-safe copy of `value`, or `undefined` when nothing of it can be kept. */
export function toPlain(value: unknown): unknown {
  const out = convert(value, [], 0);
  return out === DROP ? undefined : out;
}

/** A JSON- and clone-safe plain-object copy of `value`, or `null` when it is not an object. */
export function toPlainRecord(value: unknown): Record<string, unknown> | null {
  if (!isObjectLike(value) || Array.isArray(value) || value instanceof Date) return null;

  const out = convert(value, [], 0);
  return isObjectLike(out) && !Array.isArray(out) ? (out as Record<string, unknown>) : null;
}

/** A plain object: created by `{}` / `Object.create(null)`, not a class instance or array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObjectLike(value) || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isObjectLike(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function convert(value: unknown, ancestors: object[], depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // -0 would not survive JSON (it becomes 0); NaN and ±Infinity would become null.
      if (!Number.isFinite(value)) return DROP;
      return value === 0 ? 0 : value;
    case "bigint":
      return value.toString(10);
    case "undefined":
    case "function":
    case "symbol":
      return DROP;
  }

  if (value === null) return null;
  if (depth >= MAX_DEPTH) return DROP;

  const obj = value as object;
  if (ancestors.includes(obj)) return DROP;

  if (obj instanceof Date) {
    const time = obj.getTime();
    return Number.isFinite(time) ? obj.toISOString() : DROP;
  }

  const toJSON = read(obj, "toJSON");
  if (typeof toJSON === "function") {
    try {
      return convert(toJSON.call(obj), [...ancestors, obj], depth + 1);
    } catch {
      return DROP;
    }
  }

  ancestors.push(obj);
  try {
    if (Array.isArray(obj)) {
      // An index loop, not `map`: holes of a sparse array must become null, as in JSON.
      const out: unknown[] = [];
      for (let i = 0; i < Math.min(obj.length, MAX_ITEMS); i++) {
        const converted = convert(read(obj, String(i)), ancestors, depth + 1);
        out.push(converted === DROP ? null : converted);
      }
      return out;
    }

    const out: Record<string, unknown> = {};
    for (const key of ownKeys(obj)) {
      // A "__proto__" field would set the copy's prototype instead of a property.
      if (key === "__proto__") continue;
      const converted = convert(read(obj, key), ancestors, depth + 1);
      if (converted !== DROP) out[key] = converted;
    }
    return out;
  } finally {
    ancestors.pop();
  }
}

function ownKeys(obj: object): string[] {
  try {
    return Object.keys(obj);
  } catch {
    return [];
  }
}

/** Reads a property; a throwing getter (or Proxy trap) reads as a dropped field. */
function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
