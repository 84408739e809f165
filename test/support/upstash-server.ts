/**
 * A local stand-in for Upstash's REST endpoint: the wire protocol @upstash/redis speaks, forwarded
 * command by command to a real redis-server started by the test harness.
 *
 * - `POST /` with a JSON command array → `{ result }`, or `{ error }` with HTTP 400.
 * - `POST /pipeline` and `POST /multi-exec` with an array of command arrays → an array of
 *   `{ result } | { error }` (multi-exec runs them in one MULTI/EXEC).
 * - `Authorization: Bearer <token>` is required; a wrong one answers 401.
 * - With `Upstash-Encoding: base64` (what @upstash/redis sends by default) every string in a result
 *   is base64-encoded, nested arrays included, and numbers and nulls are left alone, as the real
 *   service and its open-source emulator do; the client decodes them back.
 *
 * Faults can be injected per server (`fault(...)`), so a test that needs them starts its own
 * instance rather than disturbing the shared one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, ErrorReply, MultiErrorReply } from "redis";

export type UpstashFault =
  /** HTTP 429, as when the per-second request limit is hit. */
  | { kind: "rate-limit" }
  /** HTTP 400 with the error a database over its request quota returns. */
  | { kind: "quota" }
  /** HTTP 401, as for a wrong or revoked token. */
  | { kind: "unauthorized" }
  /** Waits `ms` before handling the request (to trip client timeouts). */
  | { kind: "delay"; ms: number };

export interface UpstashServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
  /** Requests received so far, faulted ones included. */
  readonly requests: number;
  /** Applies `fault` to the next `times` requests (all of them when omitted); `null` clears it. */
  fault(fault: UpstashFault | null, times?: number): void;
  close(): Promise<void>;
}

interface Reply {
  result?: unknown;
  error?: string;
}

export interface UpstashServerOptions {
  /** The redis-server to forward to (never the machine's shared one). */
  redisUrl: string;
  /** @default a random token */
  token?: string;
}

/** Starts the forwarder on a free loopback port. */
export async function startUpstashServer(options: UpstashServerOptions): Promise<UpstashServer> {
  const token = options.token ?? `test-${Math.random().toString(36).slice(2)}`;
  const redis = createClient({ url: options.redisUrl, disableOfflineQueue: true });
  redis.on("error", () => {
    // A restarted or killed backend surfaces as failed commands; nothing to crash over.
  });
  await redis.connect();

  let requests = 0;
  let current: UpstashFault | null = null;
  let remaining = Number.POSITIVE_INFINITY;

  const exec = async (command: unknown): Promise<Reply> => {
    if (!Array.isArray(command) || command.length === 0) {
      return { error: "ERR command must be a non-empty array" };
    }
    try {
      return { result: await redis.sendCommand(command.map(String)) };
    } catch (error) {
      return { error: message(error) };
    }
  };

  const multiExec = async (commands: unknown[]): Promise<Reply[]> => {
    const multi = redis.multi();
    for (const command of commands) {
      if (!Array.isArray(command)) return [{ error: "ERR command must be an array" }];
      multi.addCommand(command.map(String));
    }
    try {
      const replies: unknown[] = await multi.exec();
      return replies.map((result) => ({ result }));
    } catch (error) {
      if (!(error instanceof MultiErrorReply))
        return commands.map(() => ({ error: message(error) }));
      return error.replies.map((reply: unknown) =>
        reply instanceof ErrorReply ? { error: reply.message } : { result: reply },
      );
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const fault = current;
    if (fault && --remaining <= 0) current = null;

    if (fault?.kind === "delay") await sleep(fault.ms);
    if (fault?.kind === "rate-limit") return send(res, 429, { error: "ERR too many requests" });
    if (fault?.kind === "quota") {
      return send(res, 400, {
        error: "ERR max requests limit exceeded. Limit: 10000, Usage: 10000",
      });
    }

    const auth = req.headers.authorization ?? "";
    if (fault?.kind === "unauthorized" || auth !== `Bearer ${token}`) {
      return send(res, 401, { error: "Unauthorized" });
    }
    if (req.method !== "POST") return send(res, 405, { error: "ERR only POST is supported" });

    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return send(res, 400, { error: "ERR failed to parse the request body" });
    }

    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const encode = (reply: Reply): Reply =>
      base64 && "result" in reply ? { result: encodeResult(reply.result) } : reply;
    const path = (req.url ?? "/").split("?")[0];

    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(body)) return send(res, 400, { error: "ERR expected an array" });
      const replies =
        path === "/multi-exec" ? await multiExec(body) : await Promise.all(body.map(exec));
      return send(res, 200, replies.map(encode));
    }
    if (path !== "/" && path !== "") return send(res, 404, { error: "ERR unknown path" });

    const reply = await exec(body);
    return send(res, reply.error === undefined ? 200 : 400, encode(reply));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: message(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    get requests() {
      return requests;
    },
    fault(fault, times) {
      current = fault;
      remaining = times ?? Number.POSITIVE_INFINITY;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.destroy();
    },
  };
}

/** Base64 for every string, recursively; numbers and nulls stay as they are. */
function encodeResult(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value, "utf8").toString("base64");
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (Array.isArray(value)) return value.map(encodeResult);
  return value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
