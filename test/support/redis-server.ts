/**
 * Real redis-server processes for tests, owned by this process.
 *
 * Each server is a child process (never `--daemonize`, so we hold its pid) on a loopback port that
 * was free a moment ago, with persistence off and its files in a fresh temp dir. Nothing here ever
 * talks to a port it did not pick itself: the machine's shared Redis on 6379 is never touched.
 * Everything started is killed and its dir removed on `stop()`, and again on process exit as a
 * safety net for a crashed run.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? "/usr/bin/redis-cli";
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 10_000;

export interface RedisProcess {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server and removes its dir. Idempotent. */
  stop(): Promise<void>;
  /** Sends a signal (SIGSTOP to freeze, SIGCONT to thaw, SIGKILL to crash). */
  kill(signal: NodeJS.Signals): void;
  /** Starts a fresh, empty server on the same port (after a crash or a stop). */
  restart(): Promise<void>;
}

export interface RedisCluster {
  readonly nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** Every child still alive and every dir still on disk, for the exit safety net. */
const live = new Set<ChildProcess>();
const dirs = new Set<string>();

process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A loopback port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port assigned"));
      });
    });
  });
}

/** Starts one standalone redis-server. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), "authcache-redis-"));
  dirs.add(dir);

  // The port may be taken between picking and binding; try a few before giving up.
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    child = await spawnServer(port, dir, extraArgs).catch(() => undefined);
  }
  if (!child) throw new Error("could not start redis-server on a free port");

  let current: ChildProcess | undefined = child;
  const stopChild = async () => {
    if (!current) return;
    await terminate(current);
    current = undefined;
  };

  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
    kill(signal) {
      current?.kill(signal);
    },
    async restart() {
      await stopChild();
      current = await spawnServer(port, dir, extraArgs);
    },
  };
}

/**
 * Starts a 3-master Redis Cluster on loopback and waits until every node reports
 * `cluster_state:ok`. Each node gets its own port, its own cluster bus port and its own dir.
 */
export async function startCluster(masters = 3): Promise<RedisCluster> {
  const nodes: RedisProcess[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      const busPort = await freePort();
      nodes.push(
        await startRedis([
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-port",
          String(busPort),
          "--cluster-node-timeout",
          "5000",
        ]),
      );
    }

    const addresses = nodes.map((node) => `${HOST}:${node.port}`);
    await run(REDIS_CLI, [
      "--cluster",
      "create",
      ...addresses,
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    await Promise.all(nodes.map((node) => waitForClusterOk(node.port)));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw error;
  }

  return {
    nodes: nodes.map((node) => ({ host: node.host, port: node.port })),
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}

/** Runs one redis-cli command against a server this harness started. */
export async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(REDIS_CLI, ["-h", HOST, "-p", String(port), ...args]);
  return stdout.trim();
}

async function waitForClusterOk(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const info = await cli(port, "cluster", "info").catch(() => "");
    if (info.includes("cluster_state:ok")) return;
    await sleep(100);
  }
  throw new Error(`cluster node ${port} never reached cluster_state:ok`);
}

/** Spawns redis-server and resolves once it logs that it accepts connections. */
function spawnServer(port: number, dir: string, extraArgs: string[]): Promise<ChildProcess> {
  const args = [
    "--port",
    String(port),
    "--bind",
    HOST,
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--daemonize",
    "no",
    "--logfile",
    "",
    "--loglevel",
    "notice",
    ...extraArgs,
  ];
  const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  child.once("exit", () => live.delete(child));

  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error("redis-server did not become ready")), 10_000);

    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message} (port ${port}): ${output.slice(-500)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        // Keep draining the pipe so a chatty server never blocks on a full buffer.
        child.stdout?.resume();
        resolve(child);
      }
    };

    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`redis-server exited with ${code}`)));
  });
}

/** SIGTERM, then SIGKILL if the server lingers; resolves once the process is gone. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A frozen (SIGSTOPped) server cannot handle SIGTERM until it is thawed.
  child.kill("SIGCONT");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
