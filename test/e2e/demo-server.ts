import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";

export const APP_DIR = path.resolve(import.meta.dirname, "../../examples/next-app");

/** Builds the demo once (`next build`), as `npm run demo` does. */
export async function buildApp(): Promise<void> {
  const child = spawn(process.execPath, ["scripts/next.mjs", "build"], {
    cwd: APP_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });

  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`next build failed:\n${output}`);
}

export interface RunningDemo {
  url: string;
  banner: string;
  /** What the app wrote to stderr so far: its error and outage lines. */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built demo through its own start script on a free loopback port, and resolves
 * once it printed its banner (which it does when the app answers).
 */
export async function startDemo(env: Record<string, string>): Promise<RunningDemo> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    ...cleanEnv(),
    ...env,
    PORT: String(port),
    DEMO_HOST: "127.0.0.1",
  };
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: APP_DIR,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });

  let banner = "";
  let errors = "";
  child.stdout?.on("data", (chunk) => {
    banner += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    errors += chunk;
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${errors}`)), 60_000);
    child.stdout?.on("data", () => {
      if (banner.includes("Press Ctrl+C")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${errors}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    banner,
    errors: () => errors,
    stop: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

/** The environment without the store or auth settings of the machine running the tests. */
function cleanEnv(): Record<string, string> {
  const skip =
    /^(REDIS_URL|UPSTASH_|KV_REST_|AUTH_|NEXTAUTH_|GITHUB_ID|GITHUB_SECRET|PORT|DEMO_HOST)/;
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !skip.test(entry[0]),
    ),
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
