/**
 * The demo's outputs: the summary table printed at the end, DIR/summary.json with every reported
 * figure, and DIR/report.html, one self-contained page of SVG charts.
 */
import type { DemoAResult } from './pipeline_a';
import type { DemoBResult } from './pipeline_b';
import { lineChart, heatMap, barChart } from './svg';

/** Everything one demo run produced. */
export interface DemoRun {
  meta: { version: string; command: string; seed: number; quick: boolean; device: string; startedAt: string; seconds: number; machine: string };
  a?: DemoAResult;
  b?: DemoBResult;
}

/** summary.json: the run's settings and every figure the table and the report show. */
export function summaryJson(run: DemoRun): object {
  const b = run.b;
  return {
    ...run.meta,
    a: run.a?.figures,
    b: b && {
      ...b.figures,
      controllerTrajectories: Object.fromEntries(b.arms.filter((a) => a.trajectory).map((a) => [a.arm, a.trajectory])),
      testLossCurves: Object.fromEntries(b.arms.map((a) => [a.arm, a.testLoss])),
    },
  };
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : String(v));

/** Rows of the summary table: [demo, figure, value]. */
export function summaryRows(run: DemoRun): string[][] {
  const rows: string[][] = [];
  const a = run.a?.figures;
  if (a) {
    rows.push(['a', 'branch chosen by successive halving', `${a.branch.wavelet}, ${a.branch.level} levels, γ = ${a.branch.gamma}`]);
    rows.push(['a', 'pair ROC AUC, held-out (before → after)', `${f3(a.auc.before)} → ${f3(a.auc.after)}`]);
    rows.push(['a', 'pair accuracy, held-out (before → after)', `${f3(a.accuracy.before)} → ${f3(a.accuracy.after)}`]);
    rows.push(['a', 'logistic model accuracy after training', f3(a.logisticAccuracyAfter)]);
    rows.push(['a', 'AUC with the soft-lag objective instead', f3(a.auc.softLagObjective)]);
    rows.push(['a', 'soft-lag corr. within / between, before', `${f3(a.softLag.withinBefore)} / ${f3(a.softLag.betweenBefore)}`]);
    rows.push(['a', 'soft-lag corr. within / between, after', `${f3(a.softLag.withinAfter)} / ${f3(a.softLag.betweenAfter)}`]);
    rows.push(['a', 'event SNR: recording → Ω-recovered', `${f1(a.snrDb.recording)} → ${f1(a.snrDb.recovered)} dB`]);
    for (const [d, s] of Object.entries(a.stepSeconds)) rows.push(['a', `one training step on ${d}`, `${(s * 1e3).toFixed(1)} ms`]);
  }
  const b = run.b?.figures;
  if (b) {
    rows.push(['b', 'test MSE: none / plain / rfft / dwt', `${f3(b.testLoss.none)} / ${f3(b.testLoss.plain)} / ${f3(b.testLoss.rfft)} / ${f3(b.testLoss.dwt)}`]);
    for (const t of ['rfft', 'dwt'] as const) {
      const c = b.controller[t];
      rows.push(['b', `${t} controller: p start → final mean (target)`, `${c.pStart} → ${c.pFinalMean.toFixed(4)} (${c.pTarget})`]);
      rows.push(['b', `${t} controller: steps inside trust region`, `${(100 * c.insideTrustRegionFraction).toFixed(1)}% (max ‖Δp‖/Δ ${c.maxStepOverDelta.toFixed(4)})`]);
    }
    b.demux.sources.forEach((s, i) => rows.push(['b', `SI-SDR ${s}: mixture → separated`, `${f1(b.demux.siSdrMixture[i])} → ${f1(b.demux.siSdrSeparated[i])} dB`]));
    rows.push(['b', 'cross-source leakage (mean over sources)', f3(b.demux.leakage.reduce((x, y) => x + y, 0) / b.demux.leakage.length)]);
  }
  return rows;
}

/** The summary table as text. */
export function summaryTable(run: DemoRun): string {
  const rows = [['demo', 'figure', 'value'], ...summaryRows(run)];
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(w[c])).join('  ').trimEnd();
  return [line(rows[0]), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function chartsA(a: DemoAResult): string[] {
  const c = a.curves;
  const fig = a.figures;
  const smooth = (xs: number[], k = 5) => xs.map((_, i) => { const s = xs.slice(Math.max(0, i - k + 1), i + 1); return s.reduce((p, q) => p + q, 0) / s.length; });
  const trials = [...new Set(fig.screen.map((s) => s.id))];
  return [
    figure(lineChart('a-loss', 'Training loss (moving mean of 5 steps)', [
      { name: 'logistic+contrastive', y: smooth(c.lossMetric) },
      { name: 'soft-lag objective', y: smooth(c.lossSoftLag) },
    ], { xLabel: 'step', yLabel: 'loss' }), 'Combined loss λ_CE·L_CE + λ_ctr·L_ctr + energy floor + smoothness on balanced minibatches with semi-hard negatives; the soft-lag arm minimises −(mean soft-lag correlation within − between segments).'),
    figure(lineChart('a-valauc', 'Validation AUC during training', [{ name: 'validation', x: c.valAuc.map((v) => v.step), y: c.valAuc.map((v) => v.auc) }], { xLabel: 'step', yLabel: 'ROC AUC' }), 'Early stopping keeps the parameters of the best validation AUC.'),
    figure(lineChart('a-roc', 'Pair ROC on held-out recordings', [
      { name: `before (${fig.auc.before.toFixed(3)})`, x: c.rocBefore.fpr, y: c.rocBefore.tpr, dash: true },
      { name: `after (${fig.auc.after.toFixed(3)})`, x: c.rocAfter.fpr, y: c.rocAfter.tpr },
    ], { xLabel: 'false-positive rate', yLabel: 'true-positive rate', yDomain: [0, 1], diagonal: true, height: 300 }), 'Score −d (soft-DTW per frame) for same-segment pairs against the rest.'),
    figure(lineChart('a-screen', 'Successive-halving screen', trials.map((id) => {
      const pts = fig.screen.filter((s) => s.id === id);
      return { name: `${id} ${pts[0].branch}`, x: pts.map((p) => p.steps), y: pts.map((p) => p.valAuc) };
    }), { xLabel: 'training steps', yLabel: 'validation AUC', width: 520, markers: true }), 'wt.search.successiveHalving: configurations sampled from wavelet × levels × γ, each trained afresh for its rung\'s budget; each rung keeps the better half.'),
    figure(barChart('a-softlag', 'Mean soft-lag correlation, held-out', ['before', 'after'], [
      { name: 'within', values: [fig.softLag.withinBefore, fig.softLag.withinAfter] },
      { name: 'between', values: [fig.softLag.betweenBefore, fig.softLag.betweenAfter] },
    ], { yLabel: 'ρ̃' }), 'Within-segment vs between-segment pairs of encoder outputs.'),
    figure(lineChart('a-event', `Event recovery, test recording 0, channel ${c.event.channel}`, [
      { name: 'recording', y: c.event.recording, color: '#bbb' },
      { name: 'injected event', y: c.event.truth, color: '#000' },
      { name: 'Ω-recovered', y: c.event.recovered, color: '#d62728' },
    ], { xLabel: 'frame', yLabel: 'amplitude', width: 520 }), `waverec of (cA_J, cD_J) alone; SNR on the event channels ${fig.snrDb.recording.toFixed(1)} → ${fig.snrDb.recovered.toFixed(1)} dB.`),
  ];
}

function chartsB(b: DemoBResult): string[] {
  const out: string[] = [];
  out.push(figure(lineChart('b-testloss', 'Test MSE of the MLP', b.arms.map((a) => ({ name: a.arm === 'none' ? 'no dropout' : a.arm === 'plain' ? 'plain dropout' : `TD ${a.arm}`, x: a.testLoss.map((t) => t.step), y: a.testLoss.map((t) => t.loss) })), { xLabel: 'step', yLabel: 'MSE', logY: false }), 'Extracting the multi-tone source from noisy mixtures; plain dropout follows the rfft controller\'s mean p.'));
  for (const arm of b.arms) {
    const t = arm.trajectory;
    if (!t) continue;
    const steps = t.p.map((_, i) => i + 1);
    out.push(figure(lineChart(`b-${arm.arm}-trajectory`, `Controller (${arm.arm}): p, Δ, ‖Δp‖`, [
      { name: 'mean p', x: steps, y: t.p.map((p) => p.reduce((x, y) => x + y, 0) / p.length) },
      { name: 'Δ', x: steps, y: t.delta },
      { name: '‖p(t)−p(t−1)‖', x: steps, y: t.stepNorm, dash: true },
    ], { xLabel: 'step', yLabel: 'value (log)', logY: true }), 'The step never leaves the trust region: ‖p(t) − p(t−1)‖ ≤ Δ(t).'));
    out.push(figure(lineChart(`b-${arm.arm}-rho`, `Controller (${arm.arm}): ratio ρ`, [{ name: 'ρ in [−2, 4]', x: steps, y: t.rho.map((r) => Math.max(-2, Math.min(4, r))) }], { xLabel: 'step', yLabel: 'ρ' }), 'Actual over predicted decrease of L + λ·½‖p − p_target‖².'));
    const spectrum = b.rateLabels[arm.arm as 'rfft' | 'dwt'].map((_, k) => t.p.map((p) => p[k]));
    out.push(figure(heatMap(`b-${arm.arm}-spectrum`, `Dropout spectrum (${arm.arm}): p per ${arm.arm === 'rfft' ? 'bin' : 'coefficient (coarse to fine)'} over steps`, spectrum, { rowLabels: b.rateLabels[arm.arm as 'rfft' | 'dwt'], xLabel: 'step', lo: 0, hi: 1, colLabel: (c) => String(c + 1) }), 'From p = 0.9 toward the target near zero.'));
  }
  const d = b.figures.demux;
  out.push(figure(barChart('b-sisdr', 'SI-SDR per source, held-out mixtures', d.sources, [
    { name: 'mixture', values: d.siSdrMixture, color: '#999' },
    { name: 'separated', values: d.siSdrSeparated, color: '#2ca02c' },
  ], { yLabel: 'dB' }), 'Competitive (softmax over sources) masks on the mixture\'s rfft, from a small MLP on the log-magnitude spectrum.'));
  const ex = b.demuxCurves.example;
  const n = Math.min(ex.mixture.length, 128);
  d.sources.forEach((s, i) => out.push(figure(lineChart(`b-source-${i}`, `Separated vs true: ${s}`, [
    { name: 'true', y: ex.truth[i].slice(0, n), color: '#000' },
    { name: 'separated', y: ex.separated[i].slice(0, n), color: '#d62728', dash: true },
  ], { xLabel: 'sample', yLabel: 'amplitude', height: 200 }), `Test mixture 0, first ${n} samples.`)));
  out.push(figure(lineChart('b-demux-loss', 'Demultiplexing training loss', [{ name: 'MSE', y: b.demuxCurves.loss }], { xLabel: 'step', yLabel: 'MSE', logY: true }), 'Mean squared error of the separated sources.'));
  return out;
}

/** report.html: the summary table and every chart, one page with inline SVG and CSS. */
export function reportHtml(run: DemoRun): string {
  const rows = summaryRows(run).map((r) => `<tr><td>${r[0]}</td><td>${esc(r[1])}</td><td>${esc(r[2])}</td></tr>`).join('');
  const m = run.meta;
  const section = (title: string, intro: string, charts: string[]) => `<section><h2>${esc(title)}</h2><p>${esc(intro)}</p><div class="grid">${charts.join('')}</div></section>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>wavetape demo</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1500px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px}
.meta{color:#666;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin-top:12px}td,th{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0;border:1px solid #e3e3e3;border-radius:4px;padding:6px;background:#fafafa;width:min-content}
figcaption{font-size:11px;color:#555;margin-top:4px}
svg .title{font-size:12px;font-weight:600}svg .label{font-size:10px;fill:#444}
</style></head><body>
<h1>wavetape demo</h1>
<div class="meta">${esc(m.command)} · seed ${m.seed} · ${m.quick ? 'quick' : 'full'} · device ${esc(m.device)} · ${esc(m.machine)} · ${esc(m.startedAt)} · ${m.seconds.toFixed(1)} s</div>
<table><thead><tr><th>demo</th><th>figure</th><th>value</th></tr></thead><tbody>${rows}</tbody></table>
${run.a ? section('a · denoised signal encoders (soft-DTW metric learning)', 'Multichannel recordings with shared events under noise, drift and time shifts; encoder Ψ ∘ Ω ∘ E with Ω a wavelet decomposition along time.', chartsA(run.a)) : ''}
${run.b ? section('b · transform-informed dropout under a trust region; demultiplexing', 'A small MLP with TransformDropout over rfft and wavelets, p steered by the trust-region controller; then per-source masks in the rfft domain.', chartsB(run.b)) : ''}
</body></html>
`;
}
