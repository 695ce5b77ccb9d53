/**
 * A self-contained HTML page with an SVG bar chart of bench results: one bar per case, its
 * throughput (its items per second, else GFLOP/s, else GB/s, else operations per second),
 * grouped by family.
 * Internal: not part of the public API (the package index does not export it).
 */
import { BenchResult } from './types';

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function metric(r: BenchResult): { value: number; unit: string } {
  if (r.rate !== undefined) return { value: r.rate / 1e6, unit: `M ${r.rateUnit}/s` };
  if (r.gflops !== undefined) return { value: r.gflops, unit: 'GFLOP/s' };
  if (r.gbps !== undefined) return { value: r.gbps, unit: 'GB/s' };
  return { value: 1 / r.median / 1e6, unit: 'Mop/s' };
}

/** The page for `results`, titled with `title` (machine and run description). */
export function htmlReport(results: BenchResult[], title: string): string {
  const barH = 18;
  const gap = 6;
  const labelW = 420;
  const chartW = 360;
  const sections: string[] = [];
  for (const group of [...new Set(results.map((r) => r.group))]) {
    const rows = results.filter((r) => r.group === group);
    const units = [...new Set(rows.map((r) => metric(r).unit))];
    for (const unit of units) {
      const sel = rows.filter((r) => metric(r).unit === unit);
      const max = Math.max(...sel.map((r) => metric(r).value), 1e-12);
      const h = sel.length * (barH + gap) + gap;
      const bars = sel
        .map((r, i) => {
          const { value } = metric(r);
          const y = gap + i * (barH + gap);
          const w = Math.max(1, (value / max) * chartW);
          const label = `${r.name} — ${r.peer ? `${r.device} (${r.peer})` : r.device}`;
          const fill = r.peer ? '#9aa5b1' : '#2f6fb0';
          return (
            `<text x="${labelW - 8}" y="${y + barH * 0.75}" text-anchor="end">${escape(label)}</text>` +
            `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${fill}"/>` +
            `<text x="${labelW + w + 6}" y="${y + barH * 0.75}">${value.toPrecision(3)}${r.speedup !== undefined ? ` (${r.speedup.toFixed(2)}× ${escape(r.baseline ?? '')})` : ''}</text>`
          );
        })
        .join('\n');
      sections.push(
        `<h2>${escape(group)} — ${escape(unit)}</h2>\n<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + chartW + 360}" height="${h}" font-family="sans-serif" font-size="12">\n${bars}\n</svg>`,
      );
    }
  }
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>wavetape bench</title>
<style>body{font-family:sans-serif;margin:2em}h2{font-size:1.05em;margin-top:1.6em}</style></head>
<body><h1>wavetape bench</h1><p>${escape(title)}</p>
<p>Medians after warm-up; grey bars are peers measured on the same data in the same run.</p>
${sections.join('\n')}
</body></html>
`;
}
