// `wavetape demo --quick` end to end: the methods must work (AUC gain, the controller reaching its
// target inside the trust region, separation beating the mixture), summary.json must hold the
// figures, and report.html must render every chart in headless Chromium. The demo's composite
// blocks are checked first against float64 references written here.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as wt from '../lib';
import { softDtwPairs, lagCorrelation, waveletMatrices, mineSemiHard } from '../lib/demo/blocks';
import { rocAuc, siSdrDb } from '../lib/demo/metrics';
import { runDemo, parseDemoArgs } from '../lib/demo';
import { testDevices, randomArray } from './helpers';

/** Soft-DTW by its definition, float64, on explicit sequences. */
function softDtwRef(a: number[][], b: number[][], gamma: number): number {
  const n = a.length;
  const m = b.length;
  const R = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(Infinity));
  R[0][0] = 0;
  const softmin = (xs: number[]) => {
    const lo = Math.min(...xs);
    if (lo === Infinity) return Infinity;
    return lo - gamma * Math.log(xs.reduce((s, x) => s + Math.exp(-(x - lo) / gamma), 0));
  };
  for (let i = 1; i <= n; i++) for (let j = 1; j <= m; j++) {
    const c = a[i - 1].reduce((s, v, k) => s + (v - b[j - 1][k]) ** 2, 0);
    R[i][j] = c + softmin([R[i - 1][j], R[i][j - 1], R[i - 1][j - 1]]);
  }
  return R[n][m];
}

const seqs = (flat: Float64Array, P: number, T: number, L: number) =>
  Array.from({ length: P }, (_, p) => Array.from({ length: T }, (_, t) => Array.from(flat.subarray((p * T + t) * L, (p * T + t + 1) * L))));

describe('demo building blocks against float64 references', () => {
  test.each(testDevices())('softDtwPairs equals the O(T1·T2) recursion on %s (T1 ≠ T2)', (device) => {
    const [P, T1, T2, L] = [3, 5, 4, 2];
    const a = randomArray(P * T1 * L, 1);
    const b = randomArray(P * T2 * L, 2);
    for (const gamma of [0.1, 1]) {
      const got = wt.tidy(() => Array.from(softDtwPairs(wt.tensor(a, [P, T1, L], { dtype: 'float64', device }), wt.tensor(b, [P, T2, L], { dtype: 'float64', device }), gamma).dataSync()));
      const A = seqs(a, P, T1, L);
      const B = seqs(b, P, T2, L);
      got.forEach((v, p) => expect(v).toBeCloseTo(softDtwRef(A[p], B[p], gamma), 9));
    }
  });

  test('softDtwPairs gradients match central differences (float64)', () => {
    const a = wt.tensor(randomArray(2 * 4 * 2, 3), [2, 4, 2], { dtype: 'float64' });
    const b = wt.tensor(randomArray(2 * 3 * 2, 4), [2, 3, 2], { dtype: 'float64' });
    expect(wt.testing.gradcheck((x, y) => wt.sum(softDtwPairs(x, y, 0.5)), [a, b])).toEqual([]);
    a.dispose();
    b.dispose();
  });

  test('lagCorrelation is Σ a(t)b(t+ℓ) over the overlap, normalised by the overlap energies', () => {
    const T = 9;
    const maxLag = 3;
    const a = randomArray(T, 5);
    const b = randomArray(T, 6);
    const got = wt.tidy(() => Array.from(lagCorrelation(wt.tensor(a, [1, 1, T], { dtype: 'float64' }), wt.tensor(b, [1, 1, T], { dtype: 'float64' }), maxLag).dataSync()));
    for (let l = -maxLag; l <= maxLag; l++) {
      let num = 0, ea = 0, eb = 0;
      for (let t = 0; t < T; t++) if (t + l >= 0 && t + l < T) { num += a[t] * b[t + l]; ea += a[t] ** 2; eb += b[t + l] ** 2; }
      expect(got[l + maxLag]).toBeCloseTo(num / Math.sqrt(ea * eb), 6);
    }
  });

  test('waveletMatrices: haar is pairwise (x0 ± x1)/√2 and db4 over three levels is orthogonal', () => {
    const h = waveletMatrices('haar', 8, 1);
    const x = randomArray(8, 7);
    for (let i = 0; i < 4; i++) {
      const cA = Array.from({ length: 8 }, (_, k) => h.approx[i * 8 + k] * x[k]).reduce((s, v) => s + v, 0);
      const cD = Array.from({ length: 8 }, (_, k) => h.details[0][i * 8 + k] * x[k]).reduce((s, v) => s + v, 0);
      expect(cA).toBeCloseTo((x[2 * i] + x[2 * i + 1]) / Math.SQRT2, 12);
      expect(Math.abs(cD)).toBeCloseTo(Math.abs(x[2 * i] - x[2 * i + 1]) / Math.SQRT2, 12);
    }
    const n = 32;
    const d = waveletMatrices('db4', n, 3);
    const rows = [d.approx, ...d.details].flatMap((M) => Array.from({ length: M.length / n }, (_, r) => M.subarray(r * n, (r + 1) * n)));
    expect(rows.length).toBe(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const dot = rows[i].reduce((s, v, k) => s + v * rows[j][k], 0);
      expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    }
  });

  test('mineSemiHard picks the closest negative inside (d_ap, d_ap + m), else the hardest', () => {
    // Items 0, 1 share a label; 2, 3 the other. d(0,1) = 1; d(0,2) = 1.5 (semi-hard for m = 1), d(0,3) = 0.5 (harder).
    const D = [
      0, 1, 1.5, 0.5,
      1, 0, 3, 4,
      1.5, 3, 0, 1,
      0.5, 4, 1, 0,
    ];
    const { pos, neg } = mineSemiHard(D, [0, 0, 1, 1], 1);
    expect(pos).toEqual([[0, 1], [1, 0], [2, 3], [3, 2]]);
    // (0,1): 2 is semi-hard. (1,0): d=1, negatives 3 and 4 exceed 1 + 1 → hardest, 2. (2,3): d=1,
    // negatives 1.5 (item 0) in (1, 2) → 0. (3,2): d=1, negatives 0.5 and 4 → none semi-hard → hardest 0.
    expect(neg).toEqual([[0, 2], [1, 2], [2, 0], [3, 0]]);
  });

  test('rocAuc counts pairs with ties as ½; siSdrDb of target + orthogonal noise is the energy ratio', () => {
    const scores = [0.1, 0.4, 0.4, 0.8, 0.3, 0.9];
    const labels = [0, 1, 0, 1, 0, 1];
    let num = 0, den = 0;
    scores.forEach((sp, i) => scores.forEach((sn, j) => {
      if (labels[i] === 1 && labels[j] === 0) { den++; num += sp > sn ? 1 : sp === sn ? 0.5 : 0; }
    }));
    expect(rocAuc(scores, labels)).toBeCloseTo(num / den, 12);
    const t = [1, -1, 1, -1];
    const e = [1 + 0.1, -1 + 0.1, 1 - 0.1, -1 - 0.1]; // noise (0.1, 0.1, −0.1, −0.1) is orthogonal to t and zero-mean
    expect(siSdrDb(e, t)).toBeCloseTo(10 * Math.log10(4 / 0.04), 9);
  });

  test('bad arguments to the demo command are WavetapeErrors with codes', () => {
    expect(() => parseDemoArgs(['--device', 'tpu:9'])).toThrow(expect.objectContaining({ code: 'E_DEVICE' }));
    expect(() => parseDemoArgs(['c'])).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
    expect(() => parseDemoArgs(['--seed', '-1'])).toThrow(expect.objectContaining({ code: 'E_RANGE' }));
    expect(parseDemoArgs(['b', '--quick', '--out', 'x'])).toEqual({ which: 'b', device: 'cpu', out: 'x', quick: true, seed: 1 });
  });
});

/** Debian's chromium, or another Chromium by its usual names. */
function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not this name
    }
  }
  return null;
}

const CHART_IDS = [
  'a-loss', 'a-valauc', 'a-roc', 'a-screen', 'a-softlag', 'a-event',
  'b-testloss', 'b-rfft-trajectory', 'b-rfft-rho', 'b-rfft-spectrum', 'b-dwt-trajectory', 'b-dwt-rho', 'b-dwt-spectrum',
  'b-sisdr', 'b-source-0', 'b-source-1', 'b-source-2', 'b-demux-loss',
];

describe('wavetape demo --quick', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wavetape-demo-'));
  let summary: any;
  let html = '';

  beforeAll(() => {
    const before = wt.memory().tensors;
    runDemo(parseDemoArgs(['all', '--quick', '--out', out]));
    expect(wt.memory().tensors).toBe(before);
    summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  }, 300000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('a: training raises the held-out pair ROC AUC by at least 0.05', () => {
    const { auc } = summary.a;
    expect(auc.after - auc.before).toBeGreaterThanOrEqual(0.05);
    expect(summary.a.pairs.test).toBeGreaterThan(100);
    for (const k of ['before', 'after']) expect(summary.a.accuracy[k]).toBeGreaterThan(0);
    expect(Object.keys(summary.a.stepSeconds)).toContain('cpu');
  });

  test('a: the Ω stage recovers the injected events with a higher SNR than the recording', () => {
    expect(summary.a.snrDb.recovered).toBeGreaterThan(summary.a.snrDb.recording);
  });

  test.each(['rfft', 'dwt'])('b: the %s controller takes p from 0.9 to its target, every step inside the trust region', (arm) => {
    const t = summary.b.controllerTrajectories[arm];
    const target = summary.b.controller[arm].pTarget;
    expect(t.p.length).toBeGreaterThan(20);
    // Recomputed from the recorded p(t) and Δ(t): ‖p(t) − p(t−1)‖₂ ≤ Δ(t).
    let prev: number[] = t.p[0].map(() => summary.b.controller[arm].pStart);
    t.p.forEach((p: number[], i: number) => {
      const step = Math.sqrt(p.reduce((s, v, k) => s + (v - prev[k]) ** 2, 0));
      expect(step).toBeLessThanOrEqual(t.delta[i] * (1 + 1e-9));
      prev = p;
    });
    for (const v of t.p[t.p.length - 1]) expect(Math.abs(v - target)).toBeLessThanOrEqual(0.01);
  });

  test('b: demultiplexing improves SI-SDR over the mixture for every source', () => {
    const d = summary.b.demux;
    expect(d.sources).toEqual(['multi-tone', 'chirp', 'AM']);
    d.sources.forEach((_: string, s: number) => expect(d.siSdrSeparated[s]).toBeGreaterThan(d.siSdrMixture[s] + 3));
    expect(d.maxMaskSum).toBeLessThanOrEqual(1 + 1e-5);
    for (const arm of ['none', 'plain', 'rfft', 'dwt']) expect(Number.isFinite(summary.b.testLoss[arm])).toBe(true);
  });

  test('report.html renders every chart in headless Chromium', () => {
    const chromium = findChromium();
    if (chromium === null) {
      throw new Error('Chromium is not installed: the report check needs it. Install it with `apt-get install -y chromium` (.ci/run does).');
    }
    const file = path.join(out, 'report.html');
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${path.join(out, 'profile')}`];
    const dom = execFileSync(chromium, [...flags, '--dump-dom', `file://${file}`], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], timeout: 120000 });
    // The page is served as written (no external resources): every chart is an inline SVG.
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org)/);
    const charts = [...dom.matchAll(/<svg class="chart" data-chart="([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g)];
    expect(charts.map((c) => c[1]).sort()).toEqual([...CHART_IDS].sort());
    for (const [, id, body] of charts) {
      const lines = [...body.matchAll(/<path class="(?:series|series marker|bar)" d="([^"]+)"/g)].map((m) => m[1]);
      const cells = [...body.matchAll(/<rect class="cell"[^>]*fill="rgb\(/g)].length;
      const drawn = lines.filter((d) => /^(M[-\d.]+,[-\d.]+([LVHZ][-\d.,]*)+)+$/.test(d) && !/NaN|Infinity/.test(d));
      if (drawn.length === 0 && cells === 0) throw new Error(`chart '${id}' drew nothing`);
      expect(drawn.length).toBe(lines.length);
    }
    const png = path.join(out, 'report.png');
    execFileSync(chromium, [...flags, '--window-size=1500,3800', `--screenshot=${png}`, `file://${file}`], { stdio: 'ignore', timeout: 120000 });
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(bytes.readUInt32BE(16)).toBe(1500); // IHDR width
    expect(bytes.length).toBeGreaterThan(100000); // 18 charts of lines and cells, not a blank page
  });
});
