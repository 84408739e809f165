import type { AuthOptions } from "next-auth";
import { createDemoLogger } from "./logger";

const log = createDemoLogger("next-auth");

/** A stale cookie is reported at most this often: a browser sends it with every page. */
const STALE_COOKIE_EVERY_MS = 60_000;

// Kept on globalThis: the route handlers and the pages are bundled apart, and each bundle would
// otherwise count (and print) on its own.
const KEY = Symbol.for("authcache-demo.stale-cookie-log");
const holder = globalThis as { [KEY]?: { last: number; heldBack: number } };

/**
 * next-auth's logger for the demo. A session cookie that no longer decodes is expected after
 * the secret changed (deleting `data/` makes a new one): next-auth treats that browser as signed
 * out, so it is one quiet line a minute instead of a stack trace. Other errors still reach the
 * log; next-auth's debug and warning chatter does not.
 */
export function authLogger(): AuthOptions["logger"] {
  holder[KEY] ??= { last: 0, heldBack: 0 };
  const stale = holder[KEY];

  return {
    error(code, metadata) {
      const error = errorOf(metadata);
      if (code === "JWT_SESSION_ERROR" && isUndecodable(error)) {
        const now = Date.now();
        if (now - stale.last < STALE_COOKIE_EVERY_MS) {
          stale.heldBack += 1;
          return;
        }
        const { heldBack } = stale;
        Object.assign(stale, { last: now, heldBack: 0 });
        const fields = { code: errorCodeOf(error), ...(heldBack ? { suppressed: heldBack } : {}) };
        log.warn(fields, "session cookie from another secret ignored, browser is signed out");
        return;
      }
      console.error(`[next-auth] ${code}`, metadata);
    },
    warn: () => {},
    debug: () => {},
  };
}

/** next-auth passes the error itself, or `{ error, message }`. */
function errorOf(metadata: unknown): unknown {
  if (metadata instanceof Error) return metadata;
  if (metadata && typeof metadata === "object" && "error" in metadata) return metadata.error;
  return metadata;
}

/** jose's "cannot read this token" family: encrypted or signed under another key, or damaged. */
function isUndecodable(error: unknown): boolean {
  return /^ERR_(JWE|JWS|JWT)_/.test(errorCodeOf(error));
}

function errorCodeOf(error: unknown): string {
  const code = error && typeof error === "object" && "code" in error ? error.code : undefined;
  return typeof code === "string" ? code : "unknown";
}
