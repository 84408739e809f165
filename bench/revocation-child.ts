/**
 * The second app instance of the revocation benchmark: its own cache on the shared Redis, its own
 * next-auth v4 handler. Told a visitor's cookies, it reads that session until the handler answers
 * signed out, and says so at once. Talks to its parent over IPC.
 */
import { createAuthCache } from "../src/index.js";
import { redisStore } from "../src/stores/redis.js";
import { makeV4App } from "../test/integration/next-auth-v4/driver.js";
import { detectCapabilities } from "./capabilities.js";
import { BENCH_USER } from "./handler-reader.js";
import type { FromParent, ToParent } from "./revocation-protocol.js";

const [redisUrl = "", prefix = "bench", withL1 = "false"] = process.argv.slice(2);
const WATCH_LIMIT_MS = 5_000;

const caps = await detectCapabilities();
const l1 = withL1 === "true" && caps.l1.available ? caps.l1.use(redisUrl) : {};
const users = new Map([[BENCH_USER.id, { ...BENCH_USER }]]);
const cache = createAuthCache({
  store: redisStore({ url: redisUrl }),
  prefix,
  secret: "bench-secret",
  loadUser: async (id) => users.get(id) ?? null,
  ...l1,
});
const app = makeV4App({ cache, users, wrap: true });

const send = (message: ToParent) => process.send?.(message);
const signedIn = (body: unknown) => (body as { user?: unknown } | null)?.user != null;

process.on("message", (message: FromParent) => {
  if (message.type === "stop") {
    void cache.close().finally(() => process.exit(0));
    return;
  }
  void watch(message.cookies).catch((error: unknown) => {
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  });
});
send({ type: "started" });

async function watch(cookies: Record<string, string>): Promise<void> {
  const browser = app.browser();
  for (const [name, value] of Object.entries(cookies)) browser.jar.set(name, value);

  // A first read that finds the session valid, so whatever this instance keeps is warm.
  if (!signedIn((await browser.session()).body)) throw new Error("session not valid at start");
  send({ type: "ready" });

  const deadline = performance.now() + WATCH_LIMIT_MS;
  while (performance.now() < deadline) {
    const response = await browser.session();
    browser.responses.length = 0;
    if (!signedIn(response.body)) {
      send({ type: "seen" });
      return;
    }
  }
  send({ type: "error", message: `still signed in ${WATCH_LIMIT_MS} ms after the revocation` });
}
