// `wavetape demo --quick` end to end: the methods must work (AUC gain, the controller reaching its
// target inside the trust region, separation beating the mixture), summary.json must hold the
// figures, and report.html must render every chart in headless Chromium. The demo's data
// generators and helpers are checked first against references written here.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as wt from '../lib';
import { bestThreshold } from '../lib/demo/metrics';
import { makeRecordings, makeSignals } from '../lib/demo/data';
import { runDemo, parseDemoArgs } from '../lib/demo';

describe('demo data and helpers', () => {
  test('recordings: one seed gives the same data; events only on the event channels; segments share them', () => {
    const spec = { segments: 3, perSegment: 2, channels: 5, eventChannels: 2, frames: 32, maxShift: 0, noise: 0.1, drift: 1 };
    const r1 = makeRecordings(spec, 7, 8);
    const r2 = makeRecordings(spec, 7, 8);
    expect(r1.x).toEqual(r2.x);
    expect(r1.labels).toEqual([0, 1, 2, 0, 1, 2]);
    const { channels: C, frames: T } = spec;
    for (let r = 0; r < r1.n; r++) for (let c = spec.eventChannels; c < C; c++)
      for (let t = 0; t < T; t++) expect(r1.clean[(r * C + c) * T + t]).toBe(0);
    // Without shifts, two recordings of a segment carry the same events up to the gain (0.8–1.2).
    const row = (r: number) => Array.from(r1.clean.subarray(r * C * T, (r + 1) * C * T));
    const [a, b] = [row(0), row(3)];
    const cos = a.reduce((s, v, i) => s + v * b[i], 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
    expect(cos).toBeCloseTo(1, 12);
  });

  test('signals: each clean signal is the sum of its three sources; the noise has the requested deviation', () => {
    const set = makeSignals(20, 256, 0.5, 3);
    let se = 0;
    for (let i = 0; i < set.count; i++) for (let t = 0; t < set.length; t++) {
      const sum = [0, 1, 2].reduce((s, k) => s + set.sources[(i * 3 + k) * set.length + t], 0);
      expect(set.clean[i * set.length + t]).toBeCloseTo(sum, 12);
      se += (set.noisy[i * set.length + t] - set.clean[i * set.length + t]) ** 2;
    }
    expect(Math.sqrt(se / (set.count * set.length))).toBeGreaterThan(0.47);
    expect(Math.sqrt(se / (set.count * set.length))).toBeLessThan(0.53);
  });

  test('bestThreshold maximises accuracy over every threshold (brute force)', () => {
    const scores = [0.3, -1, 2, 0.3, 0.7, 1.5, -0.2, 0.9];
    const labels = [0, 0, 1, 1, 0, 1, 0, 1];
    const acc = (t: number) => scores.filter((s, i) => (s >= t ? 1 : 0) === labels[i]).length / scores.length;
    let best = 0;
    for (let t = -3; t <= 3; t += 0.01) best = Math.max(best, acc(t));
    expect(acc(bestThreshold(scores, labels))).toBeCloseTo(best, 12);
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

  beforeAll(async () => {
    const before = wt.memory().tensors;
    await runDemo(parseDemoArgs(['all', '--quick', '--out', out]));
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
    expect(d.constraintPenalty).toBe(0);
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
