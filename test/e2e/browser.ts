import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/**
 * Debian's Chromium, never a downloaded one. The resolver rule keeps it from looking up any
 * host but the loopback address the demo listens on; the other flags keep it from calling home.
 */
export function launchChromium(tmpDir: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    env: { ...process.env, TMPDIR: tmpDir },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // No quotes: without a shell they would reach Chromium, which then ignores the rule.
      "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ],
  });
}

/** Saves a full-page screenshot under `dir`, named in the order the steps happen. */
export function screenshots(dir: string) {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
  };
}
