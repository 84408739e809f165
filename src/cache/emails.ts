import { InvalidIdError } from "../errors.js";
import { type CacheContext, ttlMs } from "./context.js";
import { assertId, isValidId } from "./keys.js";

/**
 * email → user id, for recovering a session whose token lost its `sub`. The key holds an HMAC of
 * the normalised email under a key derived from the secret: the store never sees an email.
 */
export class Emails {
  readonly #ctx: CacheContext;

  constructor(ctx: CacheContext) {
    this.#ctx = ctx;
  }

  async cache(email: string, userId: string, ttl?: number): Promise<boolean> {
    assertId("user id", userId);
    const { store, codec, options, now } = this.#ctx;
    const key = await this.key(email);
    const ms = ttlMs(ttl, options.ttl.email, "email");

    try {
      return await store.write(key, await codec.seal(userId, now(), key), ms);
    } catch {
      return false;
    }
  }

  async get(email: string): Promise<string | null> {
    const key = await this.key(email);
    const { store, codec, events } = this.#ctx;

    let text: string | null | undefined;
    try {
      [text] = await store.get([key]);
    } catch {
      events.emit({ type: "fallback", kind: "email", reason: "store-down" });
      return null;
    }

    const opened = await codec.open(text ?? null, key);
    const userId = opened.state === "value" && isValidId(opened.value) ? opened.value : null;
    events.emit({ type: userId ? "hit" : "miss", kind: "email", tier: "store" });
    return userId;
  }

  async invalidate(email: string): Promise<void> {
    await this.#ctx.store.del([await this.key(email)]);
  }

  /** The key an email maps under (an HMAC of it), for tooling that inspects the store. */
  async key(email: string): Promise<string> {
    if (typeof email !== "string" || email.trim() === "" || email.length > 320) {
      throw new InvalidIdError("email", "expected a non-empty string of at most 320 characters");
    }
    return this.#ctx.keys.email(await this.#ctx.secrets.hmac(normaliseEmail(email)));
  }
}

/** Case and surrounding space never make two accounts; sub-addressing (+tag) is left as is. */
export function normaliseEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase();
}
