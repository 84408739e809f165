/**
 * The Lua scripts behind the Redis and Upstash stores. Each store operation that reads before it
 * writes is one script, so it is atomic on the server: a write-back cannot slip between a check
 * and a SET, and a TTL is never read in one round trip and shortened in the next.
 *
 * Conventions shared by every script:
 * - TTLs arrive from JavaScript as integer strings of milliseconds and go to PX / PEXPIRE as is;
 *   a number computed inside Lua goes out through `int()`, because Redis would otherwise format a
 *   large double as `1.7e+12`, which PEXPIRE rejects.
 * - "Never shorten" compares with PTTL. PTTL is -1 for a key without a TTL: such a key was not
 *   written by this library, and it gets one, since the contract wants a TTL on every key.
 * - Scripts only touch the keys passed in KEYS, which the caller keeps in one hash slot.
 */

/** A script and its SHA-1, computed once, so stores can send EVALSHA and fall back to EVAL. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  sha(): Promise<string>;
}

function script(name: string, source: string): LuaScript {
  let sha: Promise<string> | undefined;
  return {
    name,
    source,
    sha: () => {
      sha ??= sha1Hex(source);
      return sha;
    },
  };
}

/** SHA-1 through Web Crypto: available in Node 20 and on edge runtimes alike. */
async function sha1Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const HELPERS = `
local function int(n) return string.format("%.0f", n) end
local function version(v)
  if not v then return 0 end
  return tonumber(string.match(v, "^v1|(%d+)|")) or 0
end
local function atLeast(key, ttl)
  local pttl = redis.call("PTTL", key)
  if pttl ~= -2 and pttl < ttl then redis.call("PEXPIRE", key, int(ttl)) end
end
local function removeMany(cmd, key, members)
  for i = 1, #members, 500 do
    redis.call(cmd, key, unpack(members, i, math.min(i + 499, #members)))
  end
end
`;

/**
 * KEYS: [key, guard?]  ARGV: [value, ttlMs, ifNewer "1" | "0"]  → 1 written, 0 refused.
 * The guard is the `unlessExists` key; the version compare mirrors `readVersion`.
 */
export const WRITE = script(
  "write",
  `${HELPERS}
if KEYS[2] and redis.call("EXISTS", KEYS[2]) == 1 then return 0 end
if ARGV[3] == "1" and version(redis.call("GET", KEYS[1])) > version(ARGV[1]) then return 0 end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
return 1`,
);

/** KEYS: [key]  ARGV: [value, ttlMs]  → 1 created, 0 kept (TTL lengthened when shorter). */
export const EXTEND = script(
  "extend",
  `${HELPERS}
if redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2], "NX") then return 1 end
atLeast(KEYS[1], tonumber(ARGV[2]))
return 0`,
);

/** KEYS: [key]  ARGV: [n, ttlMs]  → 1 raised, 0 kept. The TTL only ever grows. */
export const RAISE = script(
  "raise",
  `${HELPERS}
local n, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local current = tonumber(redis.call("GET", KEYS[1]))
if current ~= nil and current >= n then
  atLeast(KEYS[1], ttl)
  return 0
end
local pttl = redis.call("PTTL", KEYS[1])
if pttl > ttl then ttl = pttl end
redis.call("SET", KEYS[1], ARGV[1], "PX", int(ttl))
return 1`,
);

const PRUNE = `
local expired = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1])
if #expired > 0 then
  removeMany("ZREM", KEYS[1], expired)
  removeMany("HDEL", KEYS[2], expired)
end`;

/**
 * KEYS: [set, meta]  ARGV: [nowMs, member, expiresAt, meta, ttlMs]
 * Prunes members expired at `nowMs`, then adds the member unless it is already expired; both keys
 * then live at least `ttlMs` (= expiresAt - now).
 */
export const INDEX_ADD = script(
  "indexAdd",
  `${HELPERS}${PRUNE}
if tonumber(ARGV[3]) <= tonumber(ARGV[1]) then return 0 end
redis.call("ZADD", KEYS[1], ARGV[3], ARGV[2])
redis.call("HSET", KEYS[2], ARGV[2], ARGV[4])
local limit = tonumber(ARGV[6] or "")
if limit and limit > 0 then
  local extra = redis.call("ZCARD", KEYS[1]) - limit
  if extra > 0 then
    local dropped = redis.call("ZRANGE", KEYS[1], 0, extra - 1)
    redis.call("ZREMRANGEBYRANK", KEYS[1], 0, extra - 1)
    removeMany("HDEL", KEYS[2], dropped)
  end
end
atLeast(KEYS[1], tonumber(ARGV[5]))
atLeast(KEYS[2], tonumber(ARGV[5]))
return 1`,
);

/**
 * KEYS: [set, meta]  ARGV: [nowMs]  → flat [member, expiresAt, meta|nil, ...], earliest first.
 * Flat rather than nested so every client (and Upstash's base64 decoding) reads it the same way.
 */
export const INDEX_LIST = script(
  "indexList",
  `${HELPERS}${PRUNE}
local entries = redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
local out = {}
for i = 1, #entries, 2 do
  out[#out + 1] = entries[i]
  out[#out + 1] = entries[i + 1]
  out[#out + 1] = redis.call("HGET", KEYS[2], entries[i])
end
return out`,
);

/** KEYS: [set, meta]  ARGV: members. Removing members never touches the TTLs. */
export const INDEX_REMOVE = script(
  "indexRemove",
  `${HELPERS}
removeMany("ZREM", KEYS[1], ARGV)
removeMany("HDEL", KEYS[2], ARGV)
return 1`,
);
