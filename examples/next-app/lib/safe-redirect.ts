/**
 * A same-site path to return to after sign-in; anything else goes home. The value is resolved
 * the way a browser would resolve it (which drops tabs and line breaks, and reads `\` as `/`),
 * and only a result on our own origin is kept, so `//evil`, `/\tevil` or `/\\evil` cannot
 * lead off the site.
 */
export function safeCallback(value: unknown, fallback = "/account"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;

  const base = "http://same-origin.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}
