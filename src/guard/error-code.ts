import { AuthCacheError } from "../errors.js";

/**
 * A short, safe code for why a store call failed: "timeout", "breaker-open", a system code such
 * as "ECONNREFUSED", or an error class name. Health output and CLI lines show only this; an
 * error's message may carry a URL with a password or a key, so it is never shown.
 */
export function errorCode(error: unknown): string {
  // The guard rejects without a cause when the breaker is open: nothing was sent.
  if (error instanceof AuthCacheError && error.code === "E_STORE_UNAVAILABLE") {
    return error.cause === undefined ? "breaker-open" : errorCode(error.cause);
  }
  if (error instanceof AuthCacheError) return error.code;
  if (!(error instanceof Error)) return "store-error";

  if (/timed out|timeout/i.test(error.message) || error.name === "TimeoutError") return "timeout";
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^[A-Z0-9_]{1,32}$/.test(code)) return code;

  // An aggregate (several addresses tried) carries the system code on its parts.
  const parts = (error as { errors?: unknown }).errors;
  if (Array.isArray(parts) && parts.length > 0) return errorCode(parts[0]);
  if (error.cause !== undefined) return errorCode(error.cause);
  // node-redis leaves `name` as the generic "Error"; its class names what happened.
  const name = error.name === "Error" ? error.constructor.name : error.name;
  return kebabName(name);
}

/** `ClientOfflineError` → "client-offline"; anything unusual → "store-error". */
function kebabName(name: string): string {
  const bare = name.replace(/Error$/, "");
  if (!/^[A-Za-z]{1,40}$/.test(bare)) return "store-error";
  return bare.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}
