/**
 * What the demo's own Prometheus metrics say about the outage: a load run in which the app never
 * noticed the store was gone would prove nothing, so the breaker must have opened and store calls
 * must have failed and fallen back.
 */
export interface OutageSeen {
  breakerOpened: number;
  storeErrors: number;
  fallbacks: number;
}

export async function readOutageMetrics(base: string): Promise<OutageSeen> {
  const res = await fetch(`${base}/api/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return {
    breakerOpened: total(text, "authcache_breaker_transitions_total", 'state="open"'),
    storeErrors: total(text, "authcache_store_errors_total"),
    fallbacks: total(text, "authcache_fallbacks_total"),
  };
}

/** The sum of a counter's samples, optionally only those whose labels contain `label`. */
function total(text: string, name: string, label = ""): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) || !line.includes(label)) continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
