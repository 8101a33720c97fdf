/**
 * An SVG chart of each scenario against its target: the bar is the margin (result ÷ target, or target ÷ result
 * where lower is better) on a log scale, with the target at the dashed line. Written to bench/results/summary.svg.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from './results.ts';

export function writeChart(rows: { scenario: string; result: string; target: string; pass: boolean; ratio: number }[]): void {
  const w = 980, rowH = 34, left = 360, barMax = 380, h = 70 + rows.length * rowH;
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
<line x1="${target}" y1="34" x2="${target}" y2="${h - 20}" stroke="#333" stroke-dasharray="4 3"/>
<text x="${target - 10}" y="${h - 6}" font-size="11">1×</text>
<text x="${x(10) - 12}" y="${h - 6}" font-size="11">10×</text>
<text x="${x(100) - 18}" y="${h - 6}" font-size="11">100×</text>
</svg>\n`;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.svg'), svg);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
