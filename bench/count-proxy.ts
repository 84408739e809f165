/**
 * A loopback TCP relay in front of the benchmark's redis-server that counts round trips: a round
 * trip begins whenever a client sends after the server last spoke (or for the first time). Bytes
 * pass through untouched, so any client (node-redis, ioredis, a peer's own) is counted the same
 * way, and a pipeline or an MGET counts once while three sequential awaits count three. Requests
 * sent on several connections while none has been answered yet share one round trip: that is the
 * latency a read pays. Only the counting pass goes through the relay; timed runs connect directly.
 */
import { createConnection, createServer, type Socket } from "node:net";

export interface CountProxy {
  /** `redis://127.0.0.1:<port>` of the relay. */
  readonly url: string;
  /** Round trips seen so far, on every connection together. */
  readonly trips: number;
  close(): Promise<void>;
}

export async function startCountProxy(target: { host: string; port: number }): Promise<CountProxy> {
  let trips = 0;
  // Connections with a request sent and no reply yet; a send while one waits shares its trip.
  let waiting = 0;
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const upstream = createConnection(target);
    let pending = false;
    sockets.add(client).add(upstream);

    client.on("data", (chunk) => {
      if (!pending) {
        if (waiting === 0) trips++;
        waiting++;
        pending = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (pending) {
        waiting--;
        pending = false;
      }
      client.write(chunk);
    });

    const closeBoth = () => {
      if (pending) waiting--;
      pending = false;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", closeBoth).on("error", closeBoth);
    upstream.on("close", closeBoth).on("error", closeBoth);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("relay has no port");

  return {
    url: `redis://127.0.0.1:${address.port}`,
    get trips() {
      return trips;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
