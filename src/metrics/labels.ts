/**
 * Keeps a label's value set small. Events carry no ids, but some fields (an error code, a jwt
 * outcome) are open strings; a value of unexpected shape, or one past the first `max` distinct
 * values, is reported as "other", so a metrics backend never sees an unbounded series count.
 */
export function boundedLabel(max = 24): (value: string) => string {
  const seen = new Set<string>();

  return (value) => {
    if (!/^[A-Za-z0-9_.:-]{1,40}$/.test(value)) return "other";
    if (seen.has(value)) return value;
    if (seen.size >= max) return "other";
    seen.add(value);
    return value;
  };
}
