/**
 * Timing helpers for the benchmarks: sequential latency percentiles and throughput with a fixed
 * number of operations in flight. Every figure comes from the run that prints it.
 */
export interface Latency {
  p50: number;
  p99: number;
  mean: number;
}

/** Runs `op` `warmup` times unmeasured, then `n` times one after another; times in ms. */
export async function latency(
  op: (i: number) => Promise<unknown>,
  n: number,
  warmup = 200,
): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await op(i);

  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    samples[i] = performance.now() - t;
  }

  samples.sort();
  const at = (q: number) => samples[Math.min(n - 1, Math.floor(q * n))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / n };
}

/** Operations per second with `inFlight` concurrent callers, over `n` operations in total. */
export async function throughput(
  op: (i: number) => Promise<unknown>,
  n: number,
  inFlight = 64,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n) await op(next++);
  };

  await Promise.all(Array.from({ length: inFlight }, worker));
  return n / ((performance.now() - started) / 1000);
}

/** Interleaves the measured variants round by round, so drift on a shared machine hits all alike. */
export async function interleaved<K extends string>(
  variants: Record<K, (i: number) => Promise<unknown>>,
  rounds: number,
  perRound: number,
): Promise<Record<K, Latency>> {
  const names = Object.keys(variants) as K[];
  const all = Object.fromEntries(names.map((k) => [k, [] as Latency[]])) as unknown as Record<
    K,
    Latency[]
  >;

  for (let r = 0; r < rounds; r++) {
    for (const name of names)
      all[name].push(await latency(variants[name], perRound, r === 0 ? 300 : 50));
  }

  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return Object.fromEntries(
    names.map((k) => [
      k,
      {
        p50: median(all[k].map((l) => l.p50)),
        p99: median(all[k].map((l) => l.p99)),
        mean: median(all[k].map((l) => l.mean)),
      },
    ]),
  ) as Record<K, Latency>;
}

export const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
