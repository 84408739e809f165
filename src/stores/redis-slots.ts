/**
 * Redis Cluster hash slots, computed locally so that a batch of unrelated keys (`get`, `del`) can
 * be split into one command per slot: a multi-key command spanning slots fails with CROSSSLOT on
 * a cluster (ioredis, Upstash) or is split silently by some clients, never by all. No `node:`
 * imports: the Upstash store runs on edge runtimes.
 */

const SLOTS = 16384;

/** CRC16-CCITT (XMODEM), the checksum Redis Cluster hashes keys with. */
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

const encoder = new TextEncoder();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/**
 * The part of a key that is hashed: the text between the first `{` and the next `}` when it is
 * non-empty, else the whole key (Redis' own rule).
 */
export function hashTag(key: string): string {
  const open = key.indexOf("{");
  if (open < 0) return key;

  const close = key.indexOf("}", open + 1);
  if (close <= open + 1) return key;
  return key.slice(open + 1, close);
}

/** The cluster slot of `key`, 0 to 16383. */
export function keySlot(key: string): number {
  return crc16(encoder.encode(hashTag(key))) % SLOTS;
}

/**
 * Splits `keys` into groups that each sit in one slot, remembering where each key came from so
 * the answers can be put back in order.
 */
export function groupBySlot(keys: readonly string[]): { keys: string[]; positions: number[] }[] {
  const groups = new Map<number, { keys: string[]; positions: number[] }>();
  keys.forEach((key, position) => {
    const slot = keySlot(key);
    let group = groups.get(slot);
    if (!group) {
      group = { keys: [], positions: [] };
      groups.set(slot, group);
    }
    group.keys.push(key);
    group.positions.push(position);
  });
  return [...groups.values()];
}
