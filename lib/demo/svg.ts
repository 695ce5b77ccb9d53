/**
 * Static SVG charts from plain arrays for the demo's report: line charts, heat maps and grouped
 * bars, with axes, ticks and a legend; no script, so the page renders anywhere.
 */

/** One line of a line chart. */
export interface Series {
  name: string;
  y: ArrayLike<number>;
  /** x values (default 0, 1, 2, …). */
  x?: ArrayLike<number>;
  color?: string;
  dash?: boolean;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round-number ticks covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const fmt = (v: number) => {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000 || a < 0.01) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
};

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function axes(f: Frame, xd: [number, number], yd: [number, number], xLabel: string, yLabel: string, title: string, logY: boolean): { sx: (v: number) => number; sy: (v: number) => number; svg: string } {
  const pw = f.width - f.left - f.right;
  const ph = f.height - f.top - f.bottom;
  const ty = (v: number) => (logY ? Math.log10(v) : v);
  const [y0, y1] = [ty(yd[0]), ty(yd[1])];
  const sx = (v: number) => f.left + ((v - xd[0]) / (xd[1] - xd[0] || 1)) * pw;
  const sy = (v: number) => f.top + ph - ((ty(v) - y0) / (y1 - y0 || 1)) * ph;
  let s = `<rect x="${f.left}" y="${f.top}" width="${pw}" height="${ph}" fill="#fff" stroke="#bbb"/>`;
  for (const t of ticks(xd[0], xd[1])) {
    const x = sx(t).toFixed(1);
    s += `<line x1="${x}" x2="${x}" y1="${f.top}" y2="${f.top + ph}" stroke="#eee"/><text x="${x}" y="${f.top + ph + 14}" text-anchor="middle">${fmt(t)}</text>`;
  }
  const yt = logY ? ticks(y0, y1).filter((t) => Number.isInteger(t)).map((t) => 10 ** t) : ticks(yd[0], yd[1]);
  for (const t of yt) {
    const y = sy(t).toFixed(1);
    s += `<line x1="${f.left}" x2="${f.left + pw}" y1="${y}" y2="${y}" stroke="#eee"/><text x="${f.left - 5}" y="${y}" dy="0.32em" text-anchor="end">${fmt(t)}</text>`;
  }
  s += `<text x="${f.left + pw / 2}" y="${f.height - 4}" text-anchor="middle" class="label">${esc(xLabel)}</text>`;
  s += `<text transform="translate(12 ${f.top + ph / 2}) rotate(-90)" text-anchor="middle" class="label">${esc(yLabel)}</text>`;
  s += `<text x="${f.left}" y="14" class="title">${esc(title)}</text>`;
  return { sx, sy, svg: s };
}

function open(id: string, width: number, height: number): string {
  return `<svg class="chart" data-chart="${esc(id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`;
}

function legend(items: { name: string; color: string; dash?: boolean }[], x: number, y: number): string {
  return items.map((it, i) => {
    const yy = y + i * 13;
    return `<line x1="${x}" x2="${x + 16}" y1="${yy}" y2="${yy}" stroke="${it.color}" stroke-width="2"${it.dash ? ' stroke-dasharray="4 3"' : ''}/><text x="${x + 20}" y="${yy}" dy="0.32em">${esc(it.name)}</text>`;
  }).join('');
}

/** A line chart of several series; non-finite points break a line; `logY` plots log10(y) for positive y. */
export function lineChart(id: string, title: string, series: Series[], opts: { xLabel: string; yLabel: string; width?: number; height?: number; logY?: boolean; yDomain?: [number, number]; diagonal?: boolean; markers?: boolean }): string {
  const width = opts.width ?? 460;
  const height = opts.height ?? 260;
  const f: Frame = { width, height, left: 52, right: 112, top: 22, bottom: 34 };
  const pts = series.map((s) => Array.from(s.y, (y, i) => [s.x ? s.x[i] : i, y] as [number, number]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!opts.logY || y > 0)));
  const xs = pts.flat().map((p) => p[0]);
  const ys = pts.flat().map((p) => p[1]);
  if (xs.length === 0) throw new Error(`demo report: chart '${id}' has no finite points`);
  let yd: [number, number] = opts.yDomain ?? [Math.min(...ys), Math.max(...ys)];
  if (yd[0] === yd[1]) yd = [yd[0] - 1, yd[1] + 1];
  if (!opts.yDomain && !opts.logY) { const pad = 0.05 * (yd[1] - yd[0]); yd = [yd[0] - pad, yd[1] + pad]; }
  const xd: [number, number] = [Math.min(...xs), Math.max(...xs)];
  const { sx, sy, svg } = axes(f, xd, yd, opts.xLabel, opts.yLabel, title, !!opts.logY);
  let body = svg;
  if (opts.diagonal) body += `<path d="M${sx(xd[0]).toFixed(1)},${sy(yd[0]).toFixed(1)}L${sx(xd[1]).toFixed(1)},${sy(yd[1]).toFixed(1)}" stroke="#999" stroke-dasharray="3 3" fill="none"/>`;
  const items = series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], dash: s.dash }));
  pts.forEach((p, i) => {
    const d = p.map(([x, y], k) => `${k ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    if (p.length > 1) body += `<path class="series" d="${d}" fill="none" stroke="${items[i].color}" stroke-width="1.6"${items[i].dash ? ' stroke-dasharray="4 3"' : ''}/>`;
    // A one-point series (and every point, with `markers`) is a diamond.
    if (opts.markers || p.length === 1) {
      const m = p.map(([x, y]) => { const X = sx(x); const Y = sy(y); return `M${(X - 3).toFixed(1)},${Y.toFixed(1)}L${X.toFixed(1)},${(Y - 3).toFixed(1)}L${(X + 3).toFixed(1)},${Y.toFixed(1)}L${X.toFixed(1)},${(Y + 3).toFixed(1)}Z`; }).join('');
      body += `<path class="series marker" d="${m}" fill="${items[i].color}"/>`;
    }
  });
  body += legend(items, width - f.right + 8, f.top + 6);
  return `${open(id, width, height)}${body}</svg>`;
}

/** A heat map of `values[row][col]` in [lo, hi] (viridis-like ramp), rows labelled, columns along x. */
export function heatMap(id: string, title: string, values: number[][], opts: { rowLabels: string[]; xLabel: string; lo: number; hi: number; width?: number; height?: number; colLabel?: (c: number) => string }): string {
  const width = opts.width ?? 460;
  const height = opts.height ?? 260;
  const f: Frame = { width, height, left: 52, right: 60, top: 22, bottom: 34 };
  const rowsN = values.length;
  const colsN = values[0]?.length ?? 0;
  if (rowsN === 0 || colsN === 0) throw new Error(`demo report: heat map '${id}' is empty`);
  const pw = width - f.left - f.right;
  const ph = height - f.top - f.bottom;
  const cw = pw / colsN;
  const rh = ph / rowsN;
  const ramp = (v: number) => {
    const t = Math.min(1, Math.max(0, (v - opts.lo) / (opts.hi - opts.lo || 1)));
    const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    const k = Math.min(stops.length - 2, Math.floor(t * (stops.length - 1)));
    const u = t * (stops.length - 1) - k;
    return `rgb(${stops[k].map((c, i) => Math.round(c + u * (stops[k + 1][i] - c))).join(',')})`;
  };
  let body = `<text x="${f.left}" y="14" class="title">${esc(title)}</text>`;
  for (let r = 0; r < rowsN; r++) {
    // Row 0 at the bottom, as a spectrum's low bins are drawn.
    const y = f.top + ph - (r + 1) * rh;
    for (let c = 0; c < colsN; c++) body += `<rect class="cell" x="${(f.left + c * cw).toFixed(2)}" y="${y.toFixed(2)}" width="${(cw + 0.3).toFixed(2)}" height="${(rh + 0.3).toFixed(2)}" fill="${ramp(values[r][c])}"/>`;
  }
  const every = Math.max(1, Math.ceil(rowsN / 8));
  for (let r = 0; r < rowsN; r += every) body += `<text x="${f.left - 4}" y="${(f.top + ph - (r + 0.5) * rh).toFixed(1)}" dy="0.32em" text-anchor="end">${esc(opts.rowLabels[r])}</text>`;
  for (const t of ticks(0, colsN - 1)) body += `<text x="${(f.left + (t + 0.5) * cw).toFixed(1)}" y="${f.top + ph + 14}" text-anchor="middle">${opts.colLabel ? opts.colLabel(t) : fmt(t)}</text>`;
  body += `<text x="${f.left + pw / 2}" y="${height - 4}" text-anchor="middle" class="label">${esc(opts.xLabel)}</text>`;
  const lx = width - f.right + 14;
  for (let i = 0; i < 20; i++) body += `<rect x="${lx}" y="${(f.top + ph - ((i + 1) * ph) / 20).toFixed(1)}" width="12" height="${(ph / 20 + 0.3).toFixed(1)}" fill="${ramp(opts.lo + ((i + 0.5) / 20) * (opts.hi - opts.lo))}"/>`;
  body += `<text x="${lx + 15}" y="${f.top + 4}">${fmt(opts.hi)}</text><text x="${lx + 15}" y="${f.top + ph}">${fmt(opts.lo)}</text>`;
  return `${open(id, width, height)}${body}</svg>`;
}

/** Grouped bars: one group per category, one bar per series, values labelled. */
export function barChart(id: string, title: string, categories: string[], series: { name: string; values: number[]; color?: string }[], opts: { yLabel: string; width?: number; height?: number }): string {
  const width = opts.width ?? 460;
  const height = opts.height ?? 260;
  const f: Frame = { width, height, left: 52, right: 112, top: 22, bottom: 34 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all);
  const pad = 0.1 * (hi - lo || 1);
  const yd: [number, number] = [lo < 0 ? lo - pad : 0, hi + pad];
  const pw = width - f.left - f.right;
  const ph = height - f.top - f.bottom;
  const sy = (v: number) => f.top + ph - ((v - yd[0]) / (yd[1] - yd[0])) * ph;
  let body = `<rect x="${f.left}" y="${f.top}" width="${pw}" height="${ph}" fill="#fff" stroke="#bbb"/><text x="${f.left}" y="14" class="title">${esc(title)}</text>`;
  for (const t of ticks(yd[0], yd[1])) body += `<line x1="${f.left}" x2="${f.left + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#eee"/><text x="${f.left - 5}" y="${sy(t).toFixed(1)}" dy="0.32em" text-anchor="end">${fmt(t)}</text>`;
  const gw = pw / categories.length;
  const bw = (0.8 * gw) / series.length;
  const colors = series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  categories.forEach((cat, c) => {
    series.forEach((s, i) => {
      const v = s.values[c];
      if (!Number.isFinite(v)) return;
      const x = f.left + c * gw + 0.1 * gw + i * bw;
      const y0 = sy(0);
      const y1 = sy(v);
      body += `<path class="bar" d="M${x.toFixed(1)},${y0.toFixed(1)}V${y1.toFixed(1)}H${(x + bw - 1).toFixed(1)}V${y0.toFixed(1)}Z" fill="${colors[i]}"/>`;
      body += `<text x="${(x + bw / 2).toFixed(1)}" y="${(v >= 0 ? y1 - 3 : y1 + 10).toFixed(1)}" text-anchor="middle" font-size="9">${fmt(v)}</text>`;
    });
    body += `<text x="${(f.left + (c + 0.5) * gw).toFixed(1)}" y="${f.top + ph + 14}" text-anchor="middle">${esc(cat)}</text>`;
  });
  body += `<line x1="${f.left}" x2="${f.left + pw}" y1="${sy(0).toFixed(1)}" y2="${sy(0).toFixed(1)}" stroke="#666"/>`;
  body += `<text transform="translate(12 ${f.top + ph / 2}) rotate(-90)" text-anchor="middle" class="label">${esc(opts.yLabel)}</text>`;
  body += series.map((s, i) => `<rect x="${width - f.right + 8}" y="${f.top + i * 13}" width="12" height="9" fill="${colors[i]}"/><text x="${width - f.right + 24}" y="${f.top + i * 13 + 5}" dy="0.32em">${esc(s.name)}</text>`).join('');
  return `${open(id, width, height)}${body}</svg>`;
}
