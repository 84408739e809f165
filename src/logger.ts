/**
 * A pino-compatible logger: `logger.warn({ op, store, ms }, "message")`. authcache logs structured
 * fields and a short lowercase message, never a token, an email or a session id in clear.
 */
export interface Logger {
  error(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  debug(obj: Record<string, unknown>, msg?: string): void;
}

const noop = () => {};

/** The default: silent. Pass your pino (or any compatible) logger to hear from authcache. */
export const silentLogger: Logger = { error: noop, warn: noop, info: noop, debug: noop };

/**
 * Logs a line at most once per `intervalMs` per key, counting what it held back, so that a store
 * outage produces a handful of lines rather than one per request.
 */
export function createRateLimitedLog(logger: Logger, intervalMs = 10_000, now = Date.now) {
  const last = new Map<string, { at: number; suppressed: number }>();

  return (
    level: "error" | "warn",
    key: string,
    fields: Record<string, unknown>,
    msg: string,
  ): void => {
    const t = now();
    const seen = last.get(key);

    if (seen && t - seen.at < intervalMs) {
      seen.suppressed += 1;
      return;
    }

    const suppressed = seen?.suppressed ?? 0;
    last.set(key, { at: t, suppressed: 0 });
    logger[level](suppressed > 0 ? { ...fields, suppressed } : fields, msg);
  };
}
