/**
 * An SVG chart of each scenario against its target: the bar is the margin (result ÷ target, or target ÷ result
 * where lower is better) on a log scale, with the target at the dashed line. Optional curves (e.g. the duplicate
 * check's cost against the store size) are drawn below as line charts, x on a log scale. Written to
 * bench/results/summary.svg.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from './results.ts';

export interface Curve {
  title: string;
  xLabel: string;
  yLabel: string;
  series: { name: string; points: { x: number; y: number }[] }[];
}

export function writeChart(rows: { scenario: string; result: string; target: string; pass: boolean; ratio: number }[], curves: Curve[] = []): void {
  const w = 980, rowH = 34, left = 360, barMax = 380, barsH = 70 + rows.length * rowH;
  const curveH = 260;
  const h = barsH + (curves.length ? curveH + 20 : 0);
  // log scale from 0.1× to 100× the target; the target (1×) sits a third of the way along
  const x = (ratio: number) => left + (Math.log10(Math.min(Math.max(ratio, 0.1), 100)) + 1) / 3 * barMax;
  const target = x(1);
  const bars = rows.map((r, i) => {
    const y = 40 + i * rowH;
    const color = r.pass ? '#2e9d5b' : '#d9534f';
    return `<text x="10" y="${y + 18}" font-size="13">${esc(r.scenario)}</text>
<rect x="${left}" y="${y + 4}" width="${(x(r.ratio) - left).toFixed(1)}" height="20" fill="${color}"/>
<text x="${left + 6}" y="${y + 19}" font-size="12" fill="#fff">${esc(r.result)}</text>
<text x="${left + barMax + 12}" y="${y + 18}" font-size="12">${r.ratio.toFixed(1)}× · target ${esc(r.target)}</text>`;
  }).join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" font-size="15" font-weight="bold">CityOps benchmarks: margin over each target (log scale; dashed line = target)</text>
${bars}
<line x1="${target}" y1="34" x2="${target}" y2="${barsH - 20}" stroke="#333" stroke-dasharray="4 3"/>
<text x="${target - 10}" y="${barsH - 6}" font-size="11">1×</text>
<text x="${x(10) - 12}" y="${barsH - 6}" font-size="11">10×</text>
<text x="${x(100) - 18}" y="${barsH - 6}" font-size="11">100×</text>
${curves.map((c, i) => curvePanel(c, 10 + i * (w / curves.length), barsH + 10, w / curves.length - 20, curveH)).join('\n')}
</svg>\n`;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.svg'), svg);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const COLORS = ['#1f77b4', '#ff7f0e', '#2e9d5b', '#9467bd', '#d62728'];

/** One line chart: x log-scaled over the data's decades, y linear from 0; a dot and its value at each point. */
function curvePanel(c: Curve, x0: number, y0: number, w: number, h: number): string {
  const pts = c.series.flatMap((s) => s.points);
  if (!pts.length) return '';
  const padL = 50, padB = 40, padT = 44, padR = 20;
  const lx = pts.map((p) => Math.log10(p.x));
  const xmin = Math.floor(Math.min(...lx)), xmax = Math.max(Math.ceil(Math.max(...lx)), xmin + 1);
  const ymax = Math.max(...pts.map((p) => p.y)) * 1.25 || 1;
  const X = (v: number) => x0 + padL + ((Math.log10(v) - xmin) / (xmax - xmin)) * (w - padL - padR);
  const Y = (v: number) => y0 + padT + (1 - v / ymax) * (h - padT - padB);
  const ticks: string[] = [];
  for (let d = xmin; d <= xmax; d++) {
    const v = 10 ** d;
    const label = v >= 1e6 ? `${v / 1e6} M` : v >= 1e3 ? `${v / 1e3} k` : String(v);
    ticks.push(`<line x1="${X(v)}" y1="${Y(0)}" x2="${X(v)}" y2="${Y(0) + 4}" stroke="#333"/><text x="${X(v) - 10}" y="${Y(0) + 16}" font-size="11">${label}</text>`);
  }
  for (const f of [0.5, 1]) {
    const v = (ymax / 1.25) * f;
    ticks.push(`<text x="${x0 + 4}" y="${Y(v) + 4}" font-size="11">${Math.round(v)}</text><line x1="${x0 + padL}" y1="${Y(v)}" x2="${x0 + w - padR}" y2="${Y(v)}" stroke="#ddd"/>`);
  }
  const lines = c.series.map((s, i) => {
    const col = COLORS[i % COLORS.length];
    const path = s.points.map((p, k) => `${k ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ');
    const dots = s.points.map((p) => `<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3" fill="${col}"/><text x="${(X(p.x) + 5).toFixed(1)}" y="${(Y(p.y) - 5).toFixed(1)}" font-size="10" fill="${col}">${p.y}</text>`).join('');
    return `<path d="${path}" fill="none" stroke="${col}" stroke-width="2"/>${dots}<text x="${x0 + padL + 8}" y="${y0 + padT + 14 + i * 14}" font-size="11" fill="${col}">${esc(s.name)}</text>`;
  }).join('\n');
  return `<text x="${x0}" y="${y0 + 14}" font-size="13" font-weight="bold">${esc(c.title)}</text>
<line x1="${x0 + padL}" y1="${Y(0)}" x2="${x0 + w - padR}" y2="${Y(0)}" stroke="#333"/>
<line x1="${x0 + padL}" y1="${Y(0)}" x2="${x0 + padL}" y2="${y0 + padT}" stroke="#333"/>
${ticks.join('')}
<text x="${x0 + w / 2 - 40}" y="${y0 + h - 6}" font-size="11">${esc(c.xLabel)}</text>
<text x="${x0 + 4}" y="${y0 + padT - 6}" font-size="11">${esc(c.yLabel)}</text>
${lines}`;
}
