// Inline SVG charts for report.html, no external assets: horizontal bars at the median with a
// min–max whisker, optional reference line. Pure string building.
import { fmt, type Spread } from "../stats.ts";

export interface BarItem {
  label: string;
  value: Spread | null;
  highlight?: boolean;
}

export interface BarChart {
  title: string;
  unit: string;
  items: BarItem[];
  reference?: { value: number; label: string };
}

const W = 680;
const LABEL_W = 130;
const VALUE_W = 130;
const ROW_H = 26;
const TOP = 44;

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function barChart(c: BarChart): string {
  const values = c.items.flatMap((i) => (i.value ? [i.value.min, i.value.max] : []));
  if (c.reference) values.push(c.reference.value);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values, 1e-9);
  const plotW = W - LABEL_W - VALUE_W;
  const x = (v: number): number => LABEL_W + ((v - lo) / (hi - lo)) * plotW;
  const h = TOP + c.items.length * ROW_H + 24;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(c.title)}">`,
    `<text x="0" y="18" class="t">${esc(c.title)} (${esc(c.unit)})</text>`,
  ];
  c.items.forEach((item, i) => {
    const y = TOP + i * ROW_H;
    out.push(`<text x="${LABEL_W - 8}" y="${y + 17}" text-anchor="end" class="l">${esc(item.label)}</text>`);
    if (!item.value) {
      out.push(`<text x="${LABEL_W + 4}" y="${y + 17}" class="v">no data</text>`);
      return;
    }
    const v = item.value;
    const x0 = x(Math.min(0, v.median));
    const x1 = x(Math.max(0, v.median));
    out.push(`<rect x="${x0.toFixed(1)}" y="${y + 4}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${ROW_H - 8}" class="${item.highlight ? "bh" : "b"}"/>`);
    if (v.max > v.min) {
      const ym = y + ROW_H / 2;
      out.push(`<line x1="${x(v.min).toFixed(1)}" y1="${ym}" x2="${x(v.max).toFixed(1)}" y2="${ym}" class="w"/>`);
      for (const e of [v.min, v.max]) out.push(`<line x1="${x(e).toFixed(1)}" y1="${ym - 6}" x2="${x(e).toFixed(1)}" y2="${ym + 6}" class="w"/>`);
    }
    const text = v.max > v.min ? `${fmt(v.median)} (${fmt(v.min)}–${fmt(v.max)})` : fmt(v.median);
    out.push(`<text x="${W - VALUE_W + 6}" y="${y + 17}" class="v">${esc(text)}</text>`);
  });
  const axisY = TOP + c.items.length * ROW_H;
  out.push(`<line x1="${x(0).toFixed(1)}" y1="${TOP - 4}" x2="${x(0).toFixed(1)}" y2="${axisY}" class="a"/>`);
  out.push(`<text x="${LABEL_W}" y="${axisY + 16}" class="s">${esc(fmt(lo))}</text>`);
  out.push(`<text x="${LABEL_W + plotW}" y="${axisY + 16}" text-anchor="end" class="s">${esc(fmt(hi))}</text>`);
  if (c.reference) {
    const rx = x(c.reference.value).toFixed(1);
    out.push(`<line x1="${rx}" y1="${TOP - 4}" x2="${rx}" y2="${axisY}" class="r"/>`);
    out.push(`<text x="${rx}" y="${TOP - 8}" text-anchor="end" class="rt">${esc(c.reference.label)} ${esc(fmt(c.reference.value))} ▸</text>`);
  }
  out.push("</svg>");
  return out.join("");
}

export const SVG_CSS = `
svg .t{font:600 13px system-ui,sans-serif;fill:#222}
svg .l{font:12px system-ui,sans-serif;fill:#333}
svg .v,svg .s{font:11px ui-monospace,monospace;fill:#555}
svg .b{fill:#9bb4d6}
svg .bh{fill:#2f6db5}
svg .w{stroke:#333;stroke-width:1.2}
svg .a{stroke:#bbb}
svg .r{stroke:#c0392b;stroke-dasharray:4 3}
svg .rt{font:11px system-ui,sans-serif;fill:#c0392b}
`;
