/**
 * The session-read table as an SVG bar chart: one horizontal bar per row at its median, peers and
 * authcache in two colours, and the rows that did not run named with the reason. Plain SVG text,
 * so the docs render it anywhere without a chart library.
 */
import type { Machine } from "./machine.js";
import type { ReadRow } from "./session-reads.js";

const WIDTH = 980;
const LABEL_WIDTH = 420;
const BAR_AREA = WIDTH - LABEL_WIDTH - 110;
const ROW_HEIGHT = 22;
const TOP = 56;
const COLOURS = { peer: "#9aa5b1", authcache: "#2f6fdf" } as const;

export function renderChart(rows: ReadRow[], machine: Machine): string {
  const measured = rows.filter((r) => r.p50 !== null);
  const max = Math.max(...measured.map((r) => r.p50 ?? 0), 0.001);
  const height = TOP + rows.length * ROW_HEIGHT + 40;
  const x = (value: number) => (value / max) * BAR_AREA;

  const lines = rows.map((row, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const label = `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeXml(row.label)}</text>`;
    if (row.p50 === null) {
      const why = escapeXml(shorten(row.reason ?? "no figure", 70));
      return `${label}<text x="${LABEL_WIDTH + 4}" y="${y + 15}" class="na">${why}</text>`;
    }
    const w = Math.max(1, x(row.p50));
    return [
      label,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW_HEIGHT - 8}" fill="${COLOURS[row.group]}"/>`,
      `<text x="${(LABEL_WIDTH + w + 6).toFixed(1)}" y="${y + 15}">${row.p50.toFixed(3)} ms</text>`,
    ].join("");
  });

  const title = "GET session through the real handlers: median latency (lower is better)";
  const sub = `${machine.date.slice(0, 16).replace("T", " ")} UTC · ${machine.nproc} cores · load ${machine.loadAtStart.map((l) => l.toFixed(2)).join(" ")} · Node ${machine.node}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    "<style>.na{fill:#8a8a8a;font-style:italic}</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="16" y="42" fill="#555">${escapeXml(sub)}</text>`,
    ...lines,
    legend(height - 18),
    "</svg>",
    "",
  ].join("\n");
}

function legend(y: number): string {
  return [
    `<rect x="${LABEL_WIDTH}" y="${y - 10}" width="12" height="12" fill="${COLOURS.peer}"/>`,
    `<text x="${LABEL_WIDTH + 18}" y="${y}">peers</text>`,
    `<rect x="${LABEL_WIDTH + 80}" y="${y - 10}" width="12" height="12" fill="${COLOURS.authcache}"/>`,
    `<text x="${LABEL_WIDTH + 98}" y="${y}">authcache</text>`,
  ].join("");
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
