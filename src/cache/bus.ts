import type { GuardedStore } from "../guard/guarded-store.js";
import type { Logger } from "../logger.js";
import { isValidId } from "./keys.js";
import type { L1Tier } from "./l1.js";

/**
 * Invalidation across instances. Whatever changes a session's revocation state or a user's
 * profile names its owners (`s:<sessionId>`, `u:<userId>`) here once the store acknowledged the
 * change: this instance's L1 drops them at once, and the others hear it over the store's
 * pub/sub. A message carries nothing but those owners: never a token, an email or a profile.
 *
 * Every instance publishes, with or without an L1 of its own, so the tier can be turned on one
 * instance at a time. Owners that must be dropped together travel in one message (a kept
 * session and its user's watermark), so no instance ever sees one without the other.
 *
 * A message also names its sender by a random id (`o:<hex>`), so the sender skips its own echo:
 * it dropped those owners before publishing, and a read that started after that drop saw the
 * change already. Dropping again would only cost it a miss.
 */
export class InvalidationBus {
  readonly channel: string;
  readonly #store: GuardedStore;
  readonly #l1: L1Tier | undefined;
  readonly #logger: Logger;
  readonly #origin = `o:${randomId()}`;
  #unsubscribe: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(store: GuardedStore, prefix: string, l1: L1Tier | undefined, logger: Logger) {
    this.channel = `${prefix}:l1:invalidate`;
    this.#store = store;
    this.#l1 = l1;
    this.#logger = logger;
  }

  /** Whether the store can carry messages between instances. */
  get canSubscribe(): boolean {
    return typeof this.#store.subscribe === "function";
  }

  /**
   * Drops `owners` from this instance's L1 and tells the others. Call it after the store
   * acknowledged the change. Never throws: a lost message is bounded by the L1's TTL.
   */
  async announce(owners: readonly string[]): Promise<void> {
    this.#l1?.drop(owners);
    if (!this.#store.publish) return;

    try {
      await this.#store.publish(this.channel, `${this.#origin} ${owners.join(" ")}`);
    } catch {
      // The guard has counted and logged it; the other instances' TTL is the bound now.
    }
  }

  /** Starts listening (lazily, on the L1's first use, so creating a cache opens no socket). */
  listen(): void {
    const l1 = this.#l1;
    if (!l1 || !this.#store.subscribe || this.#unsubscribe || this.#closed) return;

    this.#unsubscribe = this.#store.subscribe(this.channel, {
      message: (message) => {
        if (message.startsWith(`${this.#origin} `)) return;
        const owners = parseOwners(message);
        if (owners.length > 0) l1.drop(owners);
      },
      up: () => {
        this.#logger.debug({ channel: "l1" }, "l1 invalidation subscribed, tier emptied");
        l1.resume();
      },
      down: () => {
        if (l1.status.active) this.#logger.info({ channel: "l1" }, "l1 bypassed, pub/sub down");
        l1.pause();
      },
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    this.#l1?.pause();
    await unsubscribe?.().catch(() => undefined);
  }
}

/** The owners a message names; anything malformed is ignored (a message can only drop). */
export function parseOwners(message: string): string[] {
  const owners: string[] = [];
  for (const part of message.split(" ")) {
    const kind = part.slice(0, 2);
    if ((kind === "s:" || kind === "u:") && isValidId(part.slice(2))) owners.push(part);
  }
  return owners;
}

function randomId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const sessionOwner = (sessionId: string): string => `s:${sessionId}`;
export const userOwner = (userId: string): string => `u:${userId}`;
