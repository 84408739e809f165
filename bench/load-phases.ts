/**
 * One continuous autocannon run cut into timed phases: the connections stay open from one phase
 * into the next, as real visitors' would while the store goes down under them, and each response
 * is counted in the phase during which it completed.
 */
import autocannon from "autocannon";
import { isSignedIn } from "./demo-http.js";

export interface Phase {
  name: string;
  seconds: number;
  /** What happens as the phase begins (kill the store, restart it). */
  enter?: () => unknown;
}

export interface PhaseRow {
  phase: string;
  /** Measured length of the phase. */
  seconds: number;
  requests: number;
  non2xx: number;
  status5xx: number;
  /** 2xx answers without a user: a signed-in visitor dropped. */
  signedOut: number;
  /** Connection errors and timeouts (a timeout counts in both). */
  errors: number;
  timeouts: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  reqPerSec: number;
  /** Responses completed in each second of the phase: a dip at the kill or the restart shows. */
  perSecond: number[];
}

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  /** One `Cookie` header per visitor; each connection cycles through all of them. */
  cookies: string[];
  /** Seconds without an answer before autocannon counts a timeout: a hung request. */
  timeoutSec: number;
  phases: Phase[];
}

class Bucket {
  startedAt = 0;
  readonly latencies: number[] = [];
  readonly perSecond: number[] = [];
  non2xx = 0;
  status5xx = 0;
  signedOut = 0;
  errors = 0;
  timeouts = 0;
}

export async function loadInPhases(options: LoadOptions): Promise<PhaseRow[]> {
  const buckets = options.phases.map(() => new Bucket());
  // Responses that land after the last phase (while autocannon winds down) are not counted.
  let current: Bucket | undefined = buckets[0];

  const total = options.phases.reduce((sum, p) => sum + p.seconds, 0);
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    // A backstop only: the run is stopped when the last phase ends.
    duration: total + 30,
    timeout: options.timeoutSec,
    requests: options.cookies.map((cookie) => ({
      method: "GET",
      path: options.path,
      headers: { cookie, accept: "application/json" },
      onResponse: (status: number, body: string) => {
        if (current && status < 300 && !isSignedIn(body)) current.signedOut += 1;
      },
    })),
  });

  instance.on("response", (_client, status, _bytes, ms) => {
    if (!current) return;
    current.latencies.push(ms);
    const second = Math.floor((performance.now() - current.startedAt) / 1000);
    current.perSecond[second] = (current.perSecond[second] ?? 0) + 1;
    if (status < 200 || status >= 300) current.non2xx += 1;
    if (status >= 500) current.status5xx += 1;
  });
  instance.on("reqError", (error) => {
    if (!current) return;
    current.errors += 1;
    if (error.message === "request timed out") current.timeouts += 1;
  });

  const seconds: number[] = [];
  try {
    for (const [i, phase] of options.phases.entries()) {
      const started = performance.now();
      current = buckets[i];
      if (current) current.startedAt = started;
      await phase.enter?.();
      await sleep(started + phase.seconds * 1000 - performance.now());
      seconds.push((performance.now() - started) / 1000);
    }
  } finally {
    current = undefined;
    instance.stop();
    await instance;
  }

  return options.phases.map((phase, i) => summarise(phase.name, seconds[i] ?? 0, buckets[i]!));
}

function summarise(phase: string, seconds: number, bucket: Bucket): PhaseRow {
  const sorted = Float64Array.from(bucket.latencies).sort();
  const n = sorted.length;
  const at = (q: number) => (n === 0 ? null : (sorted[Math.min(n - 1, Math.floor(q * n))] ?? null));
  return {
    phase,
    seconds,
    requests: n,
    non2xx: bucket.non2xx,
    status5xx: bucket.status5xx,
    signedOut: bucket.signedOut,
    errors: bucket.errors,
    timeouts: bucket.timeouts,
    p50: at(0.5),
    p99: at(0.99),
    max: n === 0 ? null : (sorted[n - 1] ?? null),
    reqPerSec: seconds > 0 ? n / seconds : 0,
    perSecond: Array.from(bucket.perSecond, (count) => count ?? 0),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
