/**
 * Simulated clients for the outage tests: each one holds a signed-in session and reads it in a
 * loop, with a short think time, the way browsers keep calling GET /api/auth/session. Every
 * call's latency is filed under the phase it started in and the breaker state it met.
 */
import type { JWTLike } from "../../src/next-auth/index.js";
import { type App, isSession, Latencies, read, reissue, sleep } from "./support.js";

export interface LoadRun {
  /** Moves the calls that start from now on under `name`. */
  phase(name: string): void;
  /** Stops the clients and waits for their last calls. */
  stop(): Promise<LoadResult>;
}

export interface LoadResult {
  calls: number;
  /** Calls that threw, or answered anything but the session they were given. */
  failed: number;
  /** By phase, then by the breaker state at the call's start. */
  latency: Map<string, Latencies>;
}

export function startLoad(
  app: App,
  sessions: { userId: string; token: JWTLike }[],
  thinkMs: [min: number, max: number] = [10, 30],
): LoadRun {
  let phase = "start";
  let running = true;
  let calls = 0;
  let failed = 0;
  const latency = new Map<string, Latencies>();
  const bucket = (name: string) => {
    let found = latency.get(name);
    if (!found) {
      found = new Latencies();
      latency.set(name, found);
    }
    return found;
  };

  const client = async ({ userId, token: first }: { userId: string; token: JWTLike }) => {
    let token = first;
    // Spread the first calls out, as real traffic arrives.
    await sleep(Math.random() * thinkMs[1]);

    while (running) {
      const at = `${phase}/${app.cache.store.breakerState}`;
      const started = performance.now();
      let result: JWTLike | null = null;
      try {
        result = await read(app, token);
      } catch {
        result = null;
      }
      bucket(at).add(performance.now() - started);
      calls += 1;

      if (isSession(result, userId)) token = reissue(result);
      else failed += 1;
      await sleep(thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]));
    }
  };
  const clients = sessions.map(client);

  return {
    phase(name) {
      phase = name;
    },
    async stop() {
      running = false;
      await Promise.all(clients);
      return { calls, failed, latency };
    },
  };
}

/** The latency summaries of a run, one line per phase and breaker state, for the test log. */
export function describeLatency(
  result: LoadResult,
): Record<string, ReturnType<Latencies["summary"]>> {
  const out: Record<string, ReturnType<Latencies["summary"]>> = {};
  for (const [name, values] of [...result.latency].sort()) out[name] = values.summary();
  return out;
}

/** Every latency recorded under phases whose name starts with `prefix`, merged. */
export function merged(result: LoadResult, prefix: string): Latencies {
  const all = new Latencies();
  for (const [name, values] of result.latency) {
    if (name.startsWith(prefix)) for (const ms of values.values()) all.add(ms);
  }
  return all;
}
