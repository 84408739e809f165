import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Cookie, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshots } from "./browser.js";
import { buildApp, freePort, type RunningDemo, startDemo } from "./demo-server.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SHOTS = path.join(ROOT, "test-results", "screenshots");
const COOKIE = "next-auth.session-token";
const ADA = { email: "ada@example.com", password: "lovelace-1815" };
const FIREFOX_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

let runDir: string;
let demo: RunningDemo;
let browser: Browser;
let deviceA: BrowserContext;
let deviceB: BrowserContext;
let pageA: Page;
let pageB: Page;
const shot = screenshots(SHOTS);

beforeAll(async () => {
  runDir = mkdtempSync(path.join(tmpdir(), "authcache-e2e-"));
  // Chromium and Playwright put their temporary files here, and it all goes at the end.
  process.env.TMPDIR = runDir;
  rmSync(SHOTS, { recursive: true, force: true });

  if (process.env.E2E_SKIP_BUILD !== "1") await buildApp();
  [demo, browser] = await Promise.all([
    startDemo({ DEMO_DATA_DIR: path.join(runDir, "data") }),
    launchChromium(runDir),
  ]);

  deviceA = await browser.newContext();
  deviceB = await browser.newContext({ userAgent: FIREFOX_UA });
  pageA = await deviceA.newPage();
  pageB = await deviceB.newPage();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
});

async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto(`${demo.url}/signin?callbackUrl=%2Faccount`);
  await page.fill("#email", account.email);
  await page.fill("#password", account.password);
  await page.click("button[type=submit]");
}

async function sessionCookie(context: BrowserContext): Promise<Cookie> {
  const cookie = (await context.cookies(demo.url)).find((c) => c.name === COOKIE);
  if (!cookie) throw new Error("no session cookie");
  return cookie;
}

describe("the demo app in a real browser", () => {
  it("says at start which store it uses and which accounts to try", () => {
    expect(demo.banner).toContain("cache store   memory");
    expect(demo.banner).toContain("ada@example.com");
    expect(demo.banner).toContain("lovelace-1815");
  });

  it("refuses a wrong password with a friendly message", async () => {
    await signIn(pageA, { email: ADA.email, password: "not-her-password" });
    await expect
      .poll(() => pageA.textContent("[data-testid=signin-error]"))
      .toContain("do not match");
    await shot(pageA, "signin-wrong-password");
  });

  it("signs in and shows the profile from the cache", async () => {
    await signIn(pageA, ADA);
    await pageA.waitForURL(`${demo.url}/account`);
    expect(await pageA.textContent("[data-testid=profile-name]")).toBe("Ada Lovelace");
    await shot(pageA, "account");
  });

  it("shows an edited profile on the very next page, with the same cookie", async () => {
    await pageA.fill("#name", "Ada King");
    await pageA.selectOption("#role", "editor");
    await pageA.click("form button:has-text('Save')");
    await pageA.waitForURL(/\/account\?saved=cached/);
    const before = await sessionCookie(deviceA);

    expect(await pageA.textContent("[data-testid=profile-name]")).toBe("Ada King");
    expect(await pageA.textContent("[data-testid=profile-role]")).toBe("editor");
    // The header, in the layout, is rendered again by the same response.
    expect(await pageA.textContent("[data-testid=signed-in-as]")).toBe("Ada King");
    expect(await pageA.textContent("[data-testid=saved]")).toContain("header");
    await shot(pageA, "account-saved");

    await pageA.goto(`${demo.url}/`);
    expect(await pageA.textContent("[data-testid=signed-in-as]")).toBe("Ada King");
    // Server-rendered pages cannot rewrite the cookie: the change came from the cache.
    expect((await sessionCookie(deviceA)).value).toBe(before.value);
    await shot(pageA, "home-after-edit");
  });

  it("lists both devices from the first, and revokes the second", async () => {
    await signIn(pageB, ADA);
    await pageB.waitForURL(`${demo.url}/account`);
    expect(await pageB.textContent("[data-testid=profile-name]")).toBe("Ada King");

    await pageA.goto(`${demo.url}/sessions`);
    expect(await pageA.locator("[data-testid=device]").count()).toBe(2);
    expect(await pageA.locator("[data-testid=this-device]").count()).toBe(1);
    expect(await pageA.textContent("[data-testid=devices]")).toContain("Firefox on Linux");
    await shot(pageA, "sessions-two-devices");

    await pageA.click("[data-testid=device]:not(:has([data-testid=this-device])) >> text=Revoke");
    await pageA.waitForURL(/\/sessions\?done=revoked/);
    expect(await pageA.locator("[data-testid=device]").count()).toBe(1);
    await shot(pageA, "sessions-after-revoke");
  });

  it("sends the revoked device to the sign-in page at its next navigation", async () => {
    await pageB.goto(`${demo.url}/account`);
    await pageB.waitForURL(/\/signin\?.*reason=revoked/);
    expect(await pageB.textContent("[data-testid=signin-notice]")).toContain("revoked");
    await shot(pageB, "second-device-revoked");

    const session = await deviceB.request.get(`${demo.url}/api/auth/session`);
    expect(await session.json()).toEqual({});
  });

  it("signs every other device out, and keeps this one", async () => {
    const grace = { email: "grace@example.com", password: "hopper-1906" };
    const [laptop, phone] = await Promise.all([browser.newContext(), browser.newContext()]);
    const [here, there] = await Promise.all([laptop.newPage(), phone.newPage()]);
    await signIn(here, grace);
    await here.waitForURL(`${demo.url}/account`);
    await signIn(there, grace);
    await there.waitForURL(`${demo.url}/account`);

    await here.goto(`${demo.url}/sessions`);
    await here.click("[data-testid=revoke-others]");
    await here.waitForURL(/\/sessions\?done=others/);
    expect(await here.locator("[data-testid=device]").count()).toBe(1);
    await shot(here, "signed-out-everywhere-else");

    await there.goto(`${demo.url}/sessions`);
    await there.waitForURL(/\/signin\?.*reason=revoked/);
    await here.goto(`${demo.url}/account`);
    expect(await here.textContent("[data-testid=profile-name]")).toBe("Grace Hopper");
    await Promise.all([laptop.close(), phone.close()]);
  });

  it("shows the store's health, hit ratios and latencies", async () => {
    await pageA.goto(`${demo.url}/status`);
    expect(await pageA.textContent("[data-testid=store-status]")).toBe("up");
    expect(await pageA.locator("svg.chart").count()).toBeGreaterThanOrEqual(3);
    await shot(pageA, "status");

    const health = await deviceA.request.get(`${demo.url}/api/health/redis`);
    expect(health.status()).toBe(200);
    expect((await health.json()).status).toBe("ok");

    const metrics = await deviceA.request.get(`${demo.url}/api/metrics`);
    expect(metrics.status()).toBe(200);
    expect(await metrics.text()).toContain("authcache_cache_hits_total");
  });

  it("signs out, and the old cookie replayed gets no session", async () => {
    const old = await sessionCookie(deviceA);

    await pageA.goto(`${demo.url}/sessions`);
    await pageA.click("header >> text=Sign out");
    await pageA.waitForURL(/\/signin\?.*reason=signed-out/);
    expect(await pageA.textContent("[data-testid=signin-notice]")).toContain("no longer works");
    await shot(pageA, "signed-out");

    const replay = await browser.newContext();
    await replay.addCookies([old]);
    const session = await replay.request.get(`${demo.url}/api/auth/session`);
    expect(await session.json()).toEqual({});

    const page = await replay.newPage();
    await page.goto(`${demo.url}/account`);
    await page.waitForURL(/\/signin/);
    await shot(page, "replayed-cookie");
    await replay.close();
  });
});

describe("the demo app with its store down", () => {
  let down: RunningDemo;
  let page: Page;

  beforeAll(async () => {
    // A port nothing listens on: the Redis store cannot connect, ever.
    const closed = await freePort();
    down = await startDemo({
      DEMO_DATA_DIR: path.join(runDir, "data-down"),
      REDIS_URL: `redis://127.0.0.1:${closed}`,
    });
    page = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await down?.stop();
  });

  it("still signs in and edits profiles on the database, and says the store is down", async () => {
    expect(down.banner).toContain("cache store   Redis");

    await page.goto(`${down.url}/signin?callbackUrl=%2Faccount`);
    await page.fill("#email", ADA.email);
    await page.fill("#password", ADA.password);
    await page.click("button[type=submit]");
    await page.waitForURL(`${down.url}/account`);
    expect(await page.textContent("[data-testid=profile-name]")).toBe("Ada Lovelace");

    await page.fill("#name", "Ada, offline");
    await page.click("form button:has-text('Save')");
    await page.waitForURL(/\/account\?saved=store-down/);
    expect(await page.textContent("[data-testid=profile-name]")).toBe("Ada, offline");
    expect(await page.textContent("[data-testid=signed-in-as]")).toBe("Ada, offline");
    await shot(page, "account-saved-store-down");

    await page.goto(`${down.url}/status`);
    expect(await page.textContent("[data-testid=store-status]")).toBe("down");
    await shot(page, "status-store-down");

    const health = await page.request.get(`${down.url}/api/health/redis`);
    expect(health.status()).toBe(503);
    // The outage reaches the terminal as authcache's own rate-limited lines.
    expect(down.errors()).toMatch(/^\[authcache\] warn store/m);
  });

  it("signs out, and says a copy of the cookie would still work", async () => {
    await page.goto(`${down.url}/account`);
    await page.click("header >> text=Sign out");
    await page.waitForURL(/\/signin\?.*reason=signed-out/);
    const notice = await page.textContent("[data-testid=signin-notice]");
    expect(notice).toContain("signed out in this browser");
    expect(notice).toContain("would still work");
    await shot(page, "signed-out-store-down");
  });
});
