import type { Logger } from "authcache";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/**
 * authcache's logger for the demo: pino-compatible, one line per record on stderr, from `warn`
 * up (`DEMO_LOG_LEVEL=info` also shows the store coming back). authcache rate-limits its own
 * lines, so a store outage reads as a handful of lines, not one per request:
 *
 *   [authcache] warn store call failed store=redis op=get code=ECONNREFUSED suppressed=12
 */
export function createDemoLogger(
  name: string,
  level: string | undefined = process.env.DEMO_LOG_LEVEL,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const min = LEVELS.indexOf(isLevel(level) ? level : "warn");
  const at =
    (lvl: Level) =>
    (fields: Record<string, unknown>, msg = ""): void => {
      if (LEVELS.indexOf(lvl) < min) return;
      const pairs = Object.entries(fields ?? {}).map(([k, v]) => `${k}=${show(v)}`);
      write([`[${name}]`, lvl, msg, ...pairs].filter(Boolean).join(" "));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** The logger authcache and its next-auth wrapper share. */
export const logger = createDemoLogger("authcache");

function isLevel(value: string | undefined): value is Level {
  return (LEVELS as readonly string[]).includes(value ?? "");
}

function show(value: unknown): string {
  if (value instanceof Error) return value.name;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? String(value) : /\s/.test(text) ? JSON.stringify(text) : text;
}
