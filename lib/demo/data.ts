/**
 * Synthetic data for the demo, generated in-process from a seed: paper A's multichannel
 * "heatmap" recordings with injected shared events, and paper B's tone, chirp and AM signals.
 */
import { Rng } from './rng';

/** Recordings of paper A's setting: each belongs to a segment whose events it shares. */
export interface Recordings {
  /** [N, C, T] row-major: the observed recordings. */
  x: Float64Array;
  /** [N, C, T]: the injected events alone (the ground truth the SNR is measured against). */
  clean: Float64Array;
  /** Segment of each recording, 0..segments-1. */
  labels: number[];
  n: number;
  channels: number;
  frames: number;
}

/** Shape of the synthetic recordings. */
export interface RecordingSpec {
  segments: number;
  perSegment: number;
  channels: number;
  /** Channels 0..eventChannels-1 carry the events; the rest carry only nuisance. */
  eventChannels: number;
  frames: number;
  /** Largest time shift of a recording's events, in frames. */
  maxShift: number;
  /** White-noise standard deviation on every channel. */
  noise: number;
  /** Standard deviation of the slow drift on the nuisance channels. */
  drift: number;
}

/** A segment's events: onsets, widths and channel loadings. */
interface SegmentTemplate {
  events: { onset: number; width: number; loading: Float64Array; freq: number }[];
}

function segmentTemplates(rng: Rng, spec: RecordingSpec): SegmentTemplate[] {
  return Array.from({ length: spec.segments }, () => ({
    events: Array.from({ length: 2 }, () => {
      const loading = Float64Array.from({ length: spec.channels }, (_, c) => (c < spec.eventChannels ? rng.uniform(-1, 1) : 0));
      const norm = Math.hypot(...loading) || 1;
      return {
        onset: rng.uniform(0.15, 0.85) * spec.frames,
        width: rng.uniform(0.03, 0.06) * spec.frames,
        loading: loading.map((v) => (1.5 * v) / norm * Math.sqrt(spec.eventChannels)),
        freq: rng.uniform(0.5, 1.5),
      };
    }),
  }));
}

/**
 * Recordings of `spec.segments` segments: every recording of a segment carries the segment's two
 * events (Gaussian-windowed bursts with a channel loading), shifted by up to ±maxShift frames and
 * scaled by 0.8–1.2, plus a slow AR(1) drift of standard deviation `drift` on the nuisance
 * channels, an unrelated burst at a random time on a random nuisance channel, and white noise.
 * `templateSeed` fixes the segments (train and held-out recordings share them); `seed` the rest.
 */
export function makeRecordings(spec: RecordingSpec, templateSeed: number, seed: number): Recordings {
  const templates = segmentTemplates(new Rng(templateSeed), spec);
  const rng = new Rng(seed);
  const { channels: C, frames: T } = spec;
  const n = spec.segments * spec.perSegment;
  const x = new Float64Array(n * C * T);
  const clean = new Float64Array(n * C * T);
  const labels: number[] = [];
  const ar = 0.95;
  for (let r = 0; r < n; r++) {
    const seg = r % spec.segments;
    labels.push(seg);
    const shift = rng.uniform(-spec.maxShift, spec.maxShift);
    const gain = rng.uniform(0.8, 1.2);
    const base = r * C * T;
    for (const ev of templates[seg].events) {
      const centre = ev.onset + shift;
      for (let t = 0; t < T; t++) {
        const u = (t - centre) / ev.width;
        const burst = gain * Math.exp(-0.5 * u * u) * Math.cos(ev.freq * u);
        for (let c = 0; c < C; c++) clean[base + c * T + t] += burst * ev.loading[c];
      }
    }
    const distractorChannel = rng.int(spec.eventChannels, C - 1);
    const distractorAt = rng.uniform(0.1, 0.9) * T;
    for (let c = 0; c < C; c++) {
      let drift = 0;
      for (let t = 0; t < T; t++) {
        let v = clean[base + c * T + t] + spec.noise * rng.normal();
        if (c >= spec.eventChannels) {
          drift = ar * drift + Math.sqrt(1 - ar * ar) * spec.drift * rng.normal();
          v += drift;
          if (c === distractorChannel) v += 2 * Math.exp(-0.5 * ((t - distractorAt) / (0.05 * T)) ** 2);
        }
        x[base + c * T + t] = v;
      }
    }
  }
  return { x, clean, labels, n, channels: C, frames: T };
}

/** The three source kinds of paper B's synthetic benchmarks. */
export const SOURCE_KINDS = ['multi-tone', 'chirp', 'AM'] as const;

/**
 * One source of each kind, length n, with random parameters in disjoint bands (cycles/sample):
 * two or three tones in [0.02, 0.1], a linear chirp sweeping up to 0.1 wide inside [0.14, 0.3],
 * and an AM tone with carrier in [0.34, 0.44] and modulation in [0.005, 0.02].
 */
export function makeSources(rng: Rng, n: number): Float64Array[] {
  const tone = new Float64Array(n);
  const k = rng.int(2, 3);
  for (let j = 0; j < k; j++) {
    const f = rng.uniform(0.02, 0.1);
    const a = rng.uniform(0.4, 1);
    const ph = rng.uniform(0, 2 * Math.PI);
    for (let t = 0; t < n; t++) tone[t] += a * Math.sin(2 * Math.PI * f * t + ph);
  }
  const chirp = new Float64Array(n);
  const f0 = rng.uniform(0.14, 0.2);
  const f1 = f0 + rng.uniform(0.05, 0.1);
  const cph = rng.uniform(0, 2 * Math.PI);
  for (let t = 0; t < n; t++) chirp[t] = 0.8 * Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * n)) + cph);
  const am = new Float64Array(n);
  const fc = rng.uniform(0.34, 0.44);
  const fm = rng.uniform(0.005, 0.02);
  const aph = rng.uniform(0, 2 * Math.PI);
  for (let t = 0; t < n; t++) am[t] = 0.8 * (1 + 0.7 * Math.sin(2 * Math.PI * fm * t)) * Math.sin(2 * Math.PI * fc * t + aph);
  return [tone, chirp, am];
}

/** Signals for paper B: clean sums of the three sources, noisy copies, and the sources. */
export interface SignalSet {
  /** [N, n]: clean signals (the regression target). */
  clean: Float64Array;
  /** [N, n]: the clean signals plus white noise (the input). */
  noisy: Float64Array;
  /** [N, S, n]: the separate sources. */
  sources: Float64Array;
  count: number;
  length: number;
}

/** `count` signals of length n, each the sum of one source of each kind, plus noise of std `noise`. */
export function makeSignals(count: number, n: number, noise: number, seed: number): SignalSet {
  const rng = new Rng(seed);
  const S = SOURCE_KINDS.length;
  const clean = new Float64Array(count * n);
  const noisy = new Float64Array(count * n);
  const sources = new Float64Array(count * S * n);
  for (let i = 0; i < count; i++) {
    const src = makeSources(rng, n);
    for (let s = 0; s < S; s++) {
      sources.set(src[s], (i * S + s) * n);
      for (let t = 0; t < n; t++) clean[i * n + t] += src[s][t];
    }
    for (let t = 0; t < n; t++) noisy[i * n + t] = clean[i * n + t] + noise * rng.normal();
  }
  return { clean, noisy, sources, count, length: n };
}
