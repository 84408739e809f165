/** A same-site path to return to after sign-in; anything else (other hosts, `//x`) goes home. */
export function safeCallback(value: unknown, fallback = "/account"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) {
    return fallback;
  }
  return value.includes("\\") ? fallback : value;
}
