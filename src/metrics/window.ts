/**
 * The most recent `size` samples of a latency, in a ring: memory stays bounded however long the
 * process runs, and percentiles describe recent behaviour rather than the whole uptime, which is
 * what a status page wants to show.
 */
export class SampleWindow {
  readonly #samples: Float64Array;
  #next = 0;
  #filled = 0;
  #count = 0;
  #sum = 0;
  #max = 0;

  constructor(size = 1024) {
    this.#samples = new Float64Array(Math.max(1, Math.floor(size)));
  }

  add(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.#samples[this.#next] = value;
    this.#next = (this.#next + 1) % this.#samples.length;
    this.#filled = Math.min(this.#filled + 1, this.#samples.length);
    this.#count += 1;
    this.#sum += value;
    this.#max = Math.max(this.#max, value);
  }

  /** All-time count, sum and max; percentiles over the window. Times rounded to 0.01 ms. */
  summary(): LatencySummary {
    const window = Array.from(this.#samples.subarray(0, this.#filled)).sort((a, b) => a - b);
    return {
      count: this.#count,
      mean: this.#count === 0 ? 0 : round(this.#sum / this.#count),
      p50: round(quantile(window, 0.5)),
      p90: round(quantile(window, 0.9)),
      p99: round(quantile(window, 0.99)),
      max: round(this.#max),
    };
  }
}

/** A latency summary in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank quantile of sorted values; 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? 0;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
