/**
 * Revocation propagation between two processes: this one signs a visitor in and revokes the
 * session; a second Node process, another app instance on the same Redis, keeps reading that
 * session through its own handler. The figure is the time from the start of the revocation here
 * until this process hears that the other one answered signed out: an upper bound, since it
 * includes the message back between the processes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createAuthCache } from "../src/index.js";
import { CLAIMS } from "../src/next-auth/index.js";
import { redisStore } from "../src/stores/redis.js";
import { makeV4App } from "../test/integration/next-auth-v4/driver.js";
import type { Capabilities } from "./capabilities.js";
import { BENCH_USER } from "./handler-reader.js";
import type { FromParent, ToParent } from "./revocation-protocol.js";

const CHILD = fileURLToPath(new URL("./revocation-child.ts", import.meta.url));

export interface RevocationRow {
  variant: "redis" | "redis-l1";
  label: string;
  status: "measured" | "unavailable" | "failed";
  reason: string | null;
  trials: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export async function benchRevocation(
  redisUrl: string,
  caps: Capabilities,
  trials: number,
): Promise<RevocationRow[]> {
  const variants: [RevocationRow["variant"], string][] = [
    ["redis", "Redis"],
    ["redis-l1", "Redis + L1"],
  ];
  const rows: RevocationRow[] = [];
  for (const [variant, label] of variants) {
    const row: RevocationRow = {
      variant,
      label,
      status: "unavailable",
      reason: null,
      trials: 0,
      p50: null,
      p99: null,
      max: null,
    };
    rows.push(row);
    if (variant === "redis-l1" && !caps.l1.available) {
      row.reason = `not available in this build: ${caps.l1.reason}`;
      continue;
    }
    try {
      const samples = await measure(redisUrl, `bench:revoke:${variant}`, variant, caps, trials);
      samples.sort((a, b) => a - b);
      const at = (q: number) =>
        samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
      Object.assign(row, {
        status: "measured",
        trials: samples.length,
        p50: at(0.5) ?? null,
        p99: at(0.99) ?? null,
        max: samples.at(-1) ?? null,
      });
    } catch (error) {
      row.status = "failed";
      row.reason = `failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return rows;
}

async function measure(
  redisUrl: string,
  prefix: string,
  variant: RevocationRow["variant"],
  caps: Capabilities,
  trials: number,
): Promise<number[]> {
  const withL1 = variant === "redis-l1";
  const l1 = withL1 && caps.l1.available ? caps.l1.use(redisUrl) : {};
  const users = new Map([[BENCH_USER.id, { ...BENCH_USER }]]);
  const cache = createAuthCache({
    store: redisStore({ url: redisUrl }),
    prefix,
    secret: "bench-secret",
    loadUser: async (id) => users.get(id) ?? null,
    ...l1,
  });
  const app = makeV4App({ cache, users, wrap: true });
  const other = new Instance(
    spawn(process.execPath, ["--import", "tsx", CHILD, redisUrl, prefix, String(withL1)], {
      stdio: ["ignore", 2, 2, "ipc"],
    }),
  );

  try {
    await other.next("started");
    const samples: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const browser = app.browser();
      await browser.signIn({ username: BENCH_USER.id, password: "pw" });
      const cookies = Object.fromEntries(browser.jar);
      const token = await app.getToken(cookies);
      const sessionId = token?.[CLAIMS.sessionId];
      if (typeof sessionId !== "string") throw new Error("sign-in minted no session id");

      other.send({ type: "watch", cookies });
      await other.next("ready");

      const started = performance.now();
      await cache.revokeSession(BENCH_USER.id, sessionId);
      await other.next("seen");
      samples.push(performance.now() - started);
    }
    return samples;
  } finally {
    other.send({ type: "stop" });
    await other.exited();
    await cache.close();
  }
}

/** The second process, with its messages read one expected type at a time. */
class Instance {
  private readonly inbox: ToParent[] = [];
  private wake: (() => void) | null = null;
  private readonly exit: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.on("message", (message: ToParent) => {
      this.inbox.push(message);
      this.wake?.();
    });
    this.exit = new Promise((resolve) => child.once("exit", () => resolve()));
    void this.exit.then(() => this.wake?.());
  }

  send(message: FromParent): void {
    if (this.child.connected) this.child.send(message);
  }

  async next(type: ToParent["type"], timeoutMs = 15_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const message = this.inbox.shift();
      if (message?.type === "error") throw new Error(`second instance: ${message.message}`);
      if (message?.type === type) return;
      if (message) throw new Error(`second instance sent ${message.type}, expected ${type}`);
      if (this.child.exitCode !== null) throw new Error("second instance exited");
      if (performance.now() > deadline) throw new Error(`no ${type} from the second instance`);

      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
      this.wake = null;
    }
  }

  async exited(): Promise<void> {
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 3_000);
    await this.exit;
    clearTimeout(timer);
  }
}
