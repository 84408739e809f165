/**
 * What the CLI prints: aligned tables and key/value lines for people, one JSON document on
 * stdout with `--json` for scripts, and progress on stderr only when a person is watching.
 */
export interface Output {
  readonly json: boolean;
  /** A line of human output; dropped under `--json`. */
  line(text?: string): void;
  /** The machine output; printed only under `--json`. */
  data(value: unknown): void;
}

export function createOutput(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
): Output {
  return {
    json,
    line(text = "") {
      if (!json) stdout.write(`${text}\n`);
    },
    data(value) {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/** Columns padded to their widest cell; the last column is left ragged. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [render(head), ...rows.map(render)].join("\n");
}

/** Aligned `label  value` lines. */
export function fields(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n");
}

/** A remaining TTL for people: "29m 58s", "30d 0h", or "-" when the key does not exist. */
export function formatTtl(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "-";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** A time for people, in UTC to the second: "2025-01-02 10:11:12Z"; "-" for none. */
export function formatTime(ms: number | null | undefined): string {
  if (!ms || !Number.isFinite(ms)) return "-";
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}

/**
 * A progress bar on stderr, redrawn in place. Silent when stderr is not a terminal (a pipe, a
 * log file, a CI job), so captured output stays clean.
 */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const enabled = stream.isTTY === true && total > 0;
  let done = 0;
  let drawn = -1;

  const draw = (label: string) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === drawn) return;
    drawn = pct;
    const filled = Math.round((pct / 100) * 30);
    stream.write(`\r[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${pct}% ${label}`.padEnd(60));
  };

  return {
    tick(label: string, n = 1) {
      done = Math.min(total, done + n);
      if (enabled) draw(label);
    },
    end() {
      if (enabled) stream.write(`\r${" ".repeat(60)}\r`);
    },
  };
}
