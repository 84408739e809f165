/**
 * A same-site path to return to after sign-in; anything else goes home. The value is resolved
 * the way a browser would resolve it (which drops tabs and line breaks, and reads `\` as `/`),
 * and only a result on our own origin is kept, so `//evil`, `/\tevil` or `/\\evil` cannot
 * lead off the site.
 */
export function safeCallback(value: unknown, fallback = "/account"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  if (hasControlOrBackslash(value)) return fallback;

  const base = "http://same-origin.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

/** Control characters (which browsers drop from URLs) and `\` (which they read as `/`). */
function hasControlOrBackslash(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}
