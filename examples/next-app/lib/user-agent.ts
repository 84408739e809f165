/** A short, human name for a browser from its user agent: "Chrome on Linux". */
export function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  return `${browser(userAgent)} on ${system(userAgent)}`;
}

function browser(ua: string): string {
  if (/HeadlessChrome\//.test(ua)) return "Headless Chrome";
  if (/Edg\//.test(ua)) return "Edge";
  if (/OPR\//.test(ua)) return "Opera";
  if (/Firefox\//.test(ua)) return "Firefox";
  if (/Chrom(e|ium)\//.test(ua)) return "Chrome";
  if (/Safari\//.test(ua)) return "Safari";
  if (/curl\//.test(ua)) return "curl";
  return "A browser";
}

function system(ua: string): string {
  if (/iPhone|iPad|iPod/.test(ua)) return "iOS";
  if (/Android/.test(ua)) return "Android";
  if (/Windows/.test(ua)) return "Windows";
  if (/Mac OS X|Macintosh/.test(ua)) return "macOS";
  if (/CrOS/.test(ua)) return "ChromeOS";
  if (/Linux/.test(ua)) return "Linux";
  return "an unknown system";
}
