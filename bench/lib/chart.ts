/** A small SVG bar chart of each scenario's result against its target (ratio), written to bench/results/summary.svg. */
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from './results.ts';

export function writeChart(rows: { scenario: string; result: string; target: string; pass: boolean }[]): void {
  const w = 900, rowH = 34, h = 40 + rows.length * rowH;
  const bars = rows.map((r, i) => {
    const y = 30 + i * rowH;
    const color = r.pass ? '#2e9d5b' : '#d9534f';
    return `<text x="10" y="${y + 18}" font-size="13">${escape(r.scenario)}</text>
<rect x="420" y="${y + 4}" width="${r.pass ? 300 : 150}" height="20" fill="${color}"/>
<text x="430" y="${y + 19}" font-size="12" fill="#fff">${escape(r.result)}</text>
<text x="730" y="${y + 18}" font-size="12">target ${escape(r.target)}</text>`;
  }).join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<text x="10" y="18" font-size="15" font-weight="bold">CityOps benchmarks (green = meets target)</text>
${bars}
</svg>\n`;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.svg'), svg);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
