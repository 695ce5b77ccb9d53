/**
 * Discrete wavelet transforms with PyWavelets' names and semantics: dwt/idwt, wavedec/waverec,
 * the stationary swt/iswt, the 2-D forms, pywt's length helpers, and learnable lifting schemes.
 *
 * Every transform works along one axis (default the last) of a batched float32/float64 tensor,
 * in every pywt mode, with pywt's output lengths: floor((n + L − 1)/2) coefficients per level in
 * the expansive modes, ceil(n/2) in periodization. A wavelet is a pywt name (aliases cdf53 =
 * bior2.2, cdf97 = bior4.4) or a scheme from {@link liftingScheme}. Gradients flow to the input of
 * every transform (to every coefficient of the inverses) and to a learnable scheme's coefficients.
 *
 * Deliberate differences from pywt (docs/wavelets.md): `idwt`/`waverec` take `n`, the length to
 * crop the result to, so odd lengths round-trip; for n = 1, `reflect`, `antireflect` (where pywt
 * 1.1 never returns) and `smooth` extend as `constant`; `level` is at most 64; the filter tables
 * are exact to double precision (pywt's are rounded for sym2–sym8 and bior4.4/5.5/6.8).
 */
import { Tensor } from '../tensor';
import { fail } from '../errors';
import { publicOp } from '../engine';
import { identity } from '../autograd';
import { zeros } from '../creation';
import { mul, add } from './elementwise';
import { slice, swapAxes, reshape, transpose, gather, roll, cast } from './layout';
import { tensorArg, tensorListArg, optionsArg, axisArg, axesArg, oneOf, intArg, isPlainObject, describe, expected } from '../validate';
import { WAVELET_TABLE } from '../wavelets/filters';
import { resolveWaveletName, waveletFilters, waveletNames as tableNames } from '../wavelets/catalog';
import { liftingFactorisation } from '../wavelets/lifting';
import type { WaveletFamily, LiftingFactorisation } from '../wavelets/types';
import { tapeDwt, tapeIdwt, type TapeLiftingScheme, type TapeLiftingStep, type TapeAlignment } from '../wavelets/tape_lifting';
import { liftingWavedec, liftingWaverec, WAVELET_MODES, type WaveletMode } from './wavelet_native';
import { tensor } from '../creation';

export type { WaveletMode } from './wavelet_native';

// ---------------------------------------------------------------- wavelets

/** Where a learnable scheme's outputs sit (see {@link LearnableLiftingScheme.alignment}). */
export type WaveletAlignment = TapeAlignment;

/** One step of a learnable lifting scheme (see {@link liftingScheme}). */
export interface LearnableLiftingStep {
  readonly type: 'predict' | 'update';
  /** The step's taps c_0 … c_{K−1}: a 1-d float32/float64 tensor (a Variable to train it). */
  readonly coeffs: Tensor;
  /** The index of the neighbour c_0 multiplies, relative to n. */
  readonly offset: number;
}

/**
 * A lifting scheme whose coefficients are tensors, made by {@link liftingScheme}: usable wherever
 * a wavelet name is. `filterLength` (the L of pywt's length formulas) and `alignment` follow from
 * the steps' support, or from the table wavelet the scheme starts from (docs/wavelets.md,
 * "Learnable lifting").
 */
export interface LearnableLiftingScheme {
  readonly kind: 'lifting';
  readonly steps: readonly LearnableLiftingStep[];
  /** s ← scale·s, d ← d/scale after the steps; null: 1. */
  readonly scale: Tensor | null;
  /** The even filter length L of the equivalent filter bank: output lengths follow it. */
  readonly filterLength: number;
  /**
   * Where the outputs sit. Periodization: cA[i] = s[i + shiftA], cD[i] = signD·d[i + shiftD].
   * Expansive modes: the lifting runs on w[m] = xe[m + phase] (xe the extended signal) and
   * cA[o] = s[o + alignA], cD[o] = signD·d[o + alignD]. A scheme from steps has phase 0,
   * alignA = alignD = its shift t, no periodization shifts and signD = 1.
   */
  readonly alignment: WaveletAlignment;
}

/** A wavelet: a pywt name ('haar', 'db1'–'db10', 'sym2'–'sym10', 'coif1'–'coif5', 'bior*', 'rbio*', 'cdf53', 'cdf97') or a learnable scheme. */
export type Wavelet = string | LearnableLiftingScheme;

const learnableSchemes = new WeakSet<object>();

/** A wavelet as the transforms use it: a table wavelet runs the native kernels, a learnable one the tape. */
interface ResolvedWavelet {
  filterLength: number;
  /** Table wavelets: the factorisation the native kernels take. */
  factorisation: LiftingFactorisation | null;
  /** Learnable schemes: the lifting on the tape, its coefficients in the data's dtype. */
  tape: ((like: Tensor) => TapeLiftingScheme) | null;
}

/**
 * The alignment of a table wavelet on the tape. pywt's expansive cA[o] = Σ_j decLo[j]·xe[2o+1−j]
 * is the periodization output i = o + (1 − L/2 − c)/2 of any window xe[c …] with c ≡ 1 − L/2
 * (mod 2) (docs/wavelets.md); with phase = c mod 2 that is the lifted s at
 * o + (1 − L/2 − phase)/2 + shiftA.
 */
function tableAlignment(L: number, f: LiftingFactorisation): TapeAlignment {
  const phase = ((((1 - L / 2) % 2) + 2) % 2) as 0 | 1;
  const base = (1 - L / 2 - phase) / 2;
  return { shiftA: f.shiftA, shiftD: f.shiftD, signD: f.signD, phase, alignA: base + f.shiftA, alignD: base + f.shiftD };
}

function resolveWavelet(fn: string, w: unknown): ResolvedWavelet {
  if (typeof w === 'object' && w !== null && learnableSchemes.has(w)) {
    const ls = w as LearnableLiftingScheme;
    return { filterLength: ls.filterLength, factorisation: null, tape: (like) => learnableTape(fn, ls, like) };
  }
  if (typeof w !== 'string')
    fail('E_RANGE', `${fn}: argument 'wavelet' must be a wavelet name such as 'db4' or a scheme from wt.liftingScheme(); got ${describe(w)}`);
  const name = resolveWaveletName(w, fn);
  return { filterLength: WAVELET_TABLE[name].decLo.length, factorisation: liftingFactorisation(name, fn), tape: null };
}

function learnableTape(fn: string, ls: LearnableLiftingScheme, like: Tensor): TapeLiftingScheme {
  const prepare = (t: Tensor, arg: string): Tensor => {
    tensorArg(fn, arg, t);
    if (t.device !== like.device) fail('E_DEVICE', `${fn}: the wavelet's '${arg}' is on ${t.device} but the data is on ${like.device}; move one with .to(device)`);
    return t.dtype === like.dtype ? t : cast(t, like.dtype);
  };
  const steps = ls.steps.map((step, i): TapeLiftingStep => {
    const c = prepare(step.coeffs, `steps[${i}].coeffs`);
    return { type: step.type, offset: step.offset, coeffs: Array.from({ length: c.shape[0] }, (_, k) => slice(c, [k], [1])) };
  });
  return { steps, scale: ls.scale === null ? 1 : prepare(ls.scale, 'scale'), filterLength: ls.filterLength, ...ls.alignment };
}

/** The argument of {@link liftingScheme}. */
export interface LiftingSchemeSpec {
  /** The steps, applied in order after the lazy split s[n] = x[2n], d[n] = x[2n+1]. */
  steps: { type: 'predict' | 'update'; coeffs: Tensor; offset?: number }[];
  /** A one-element tensor (learnable) or the number 1 (default). */
  scale?: Tensor | number;
  /**
   * A table wavelet whose steps these are (same types, offsets and tap counts): the scheme takes
   * its filter length, shifts and sign, so it computes exactly that wavelet until trained.
   */
  wavelet?: string;
}

/** Options of {@link liftingScheme} when it starts from a table wavelet's coefficients. */
export interface LiftingSchemeOptions {
  /** float32 or float64 (default float32). */
  dtype?: 'float32' | 'float64';
  /** The device of the coefficient tensors (default: the current device). */
  device?: string;
}

/** [lo, hi] ∪ [lo2, hi2]. */
const hull = (a: [number, number], b: [number, number]): [number, number] => [Math.min(a[0], b[0]), Math.max(a[1], b[1])];

/**
 * The filter length L and shift t of a lifting scheme from its steps' support: analysis output i
 * reads x[2i + a … 2i + b], synthesis coefficient i reaches x[2i + a' … 2i + b']; the smallest even
 * L and largest t with 2t + max(b, b') ≤ 1 and 2t + min(a, a') ≥ 2 − L put both inside pywt's
 * window [2o + 2 − L, 2o + 1] for output o = i − t.
 */
function schemeGeometry(steps: readonly { type: 'predict' | 'update'; offset: number; taps: number }[]): { filterLength: number; alignment: TapeAlignment } {
  let s: [number, number] = [0, 0];
  let d: [number, number] = [1, 1];
  for (const st of steps) {
    const span: [number, number] = [2 * st.offset, 2 * (st.offset + st.taps - 1)];
    if (st.type === 'predict') d = hull(d, [s[0] + span[0], s[1] + span[1]]);
    else s = hull(s, [d[0] + span[0], d[1] + span[1]]);
  }
  // Synthesis: which coefficient indices i + δ the reconstructed s[i] and d[i] read.
  let ds: [number, number] = [0, 0];
  let dd: [number, number] = [0, 0];
  for (let k = steps.length - 1; k >= 0; k--) {
    const st = steps[k];
    const span: [number, number] = [st.offset, st.offset + st.taps - 1];
    if (st.type === 'update') ds = hull(ds, [dd[0] + span[0], dd[1] + span[1]]);
    else dd = hull(dd, [ds[0] + span[0], ds[1] + span[1]]);
  }
  const lo = Math.min(s[0], d[0], -2 * ds[1], 1 - 2 * dd[1]);
  const hi = Math.max(s[1], d[1], -2 * ds[0], 1 - 2 * dd[0]);
  const shift = Math.floor((1 - hi) / 2);
  const filterLength = Math.max(2, 2 * Math.ceil((2 - lo - 2 * shift) / 2));
  return { filterLength, alignment: { shiftA: 0, shiftD: 0, signD: 1, phase: 0, alignA: shift, alignD: shift } };
}

function makeScheme(steps: LearnableLiftingStep[], scale: Tensor | null, geometry: { filterLength: number; alignment: TapeAlignment }): LearnableLiftingScheme {
  const scheme: LearnableLiftingScheme = Object.freeze({
    kind: 'lifting' as const,
    steps: Object.freeze(steps),
    scale,
    filterLength: geometry.filterLength,
    alignment: Object.freeze({ ...geometry.alignment }),
  });
  learnableSchemes.add(scheme);
  return scheme;
}

/** A table wavelet's factorisation as a scheme of fresh coefficient tensors. */
function schemeFromTable(fn: string, name: string, options: unknown): LearnableLiftingScheme {
  const key = resolveWaveletName(name, fn);
  const o = optionsArg(fn, 2, options, ['dtype', 'device']);
  const dtype = o.dtype === undefined ? 'float32' : oneOf(fn, 'dtype', o.dtype, ['float32', 'float64'] as const);
  const where = { dtype, device: o.device as string | undefined };
  const f = liftingFactorisation(key, fn);
  const steps = f.steps.map((st) => Object.freeze({ type: st.type, offset: st.offset, coeffs: tensor([...st.coeffs], [st.coeffs.length], where) }));
  const L = WAVELET_TABLE[key].decLo.length;
  return makeScheme(steps, tensor([f.scale], [1], where), { filterLength: L, alignment: tableAlignment(L, f) });
}

/**
 * A wavelet given by lifting steps whose coefficients are tensors, usable wherever a wavelet name
 * is (dwt, wavedec, swt, the 2-D forms, dwtMaxLevel, …); gradients reach every coefficient and
 * the scale. After the lazy split s[n] = x[2n], d[n] = x[2n+1], a predict step does
 * d[n] += Σ_k c_k·s[n + offset + k], an update step s[n] += Σ_k c_k·d[n + offset + k]; then
 * s ← scale·s, d ← d/scale. The inverse undoes the steps in reverse, so reconstruction is perfect
 * for any coefficients (and any non-zero scale).
 *
 * Outputs: periodization gives cA = s, cD = d of the circular lifting. The expansive modes act as
 * pywt's filter bank of the scheme's impulse responses with the even length `filterLength` that
 * holds the steps' support: floor((n + L − 1)/2) coefficients, cA[o] = s[o + t] of the lifted
 * extended signal, t = `alignment.alignA` (docs/wavelets.md gives the rule). The coefficients are
 * read when a transform runs, so the scheme follows a Variable as an optimizer updates it.
 *
 * `liftingScheme('db4', {dtype, device})` starts from a table wavelet: fresh coefficient tensors
 * holding its factorisation, with its filter length, shifts and sign, so the scheme computes
 * exactly that wavelet; pass its steps back as Variables with `wavelet: 'db4'` to train them.
 *
 * @example
 * const p = wt.variable(wt.tensor([-0.5, -0.5], [2], { dtype: 'float64' }));
 * const u = wt.variable(wt.tensor([0.25, 0.25], [2], { dtype: 'float64' }));
 * const w = wt.liftingScheme({ steps: [{ type: 'predict', coeffs: p }, { type: 'update', coeffs: u, offset: -1 }] });
 * const [cA, cD] = wt.dwt(x, w, { mode: 'periodization' }); // CDF 5/3 before training
 */
export const liftingScheme = publicOp('liftingScheme', function liftingScheme(spec: LiftingSchemeSpec | string, options?: LiftingSchemeOptions): LearnableLiftingScheme {
  const fn = 'liftingScheme';
  if (typeof spec === 'string') return schemeFromTable(fn, spec, options);
  const o = optionsArg(fn, 1, spec, ['steps', 'scale', 'wavelet']);
  if (options != null) fail('E_RANGE', `${fn}: options {dtype, device} go with a wavelet name only; got ${describe(options)} after a steps object`);
  if (!Array.isArray(o.steps)) expected('E_SHAPE', fn, 'steps', 'an array of {type, coeffs, offset} steps', o.steps);
  if (o.steps.length > 64) fail('E_SHAPE', `${fn}: argument 'steps' has ${o.steps.length} steps; at most 64`);
  let device: string | null = null;
  const checkTensor = (t: unknown, arg: string): Tensor => {
    const x = tensorArg(fn, arg, t);
    if (x.dtype !== 'float32' && x.dtype !== 'float64') fail('E_DTYPE', `${fn}: argument '${arg}' must be float32 or float64; got ${x.dtype}`);
    if (device !== null && x.device !== device) fail('E_DEVICE', `${fn}: argument '${arg}' is on ${x.device} but the first coefficients are on ${device}`);
    device = x.device;
    return x;
  };
  const steps: LearnableLiftingStep[] = (o.steps as unknown[]).map((raw, i) => {
    const arg = `steps[${i}]`;
    if (!isPlainObject(raw)) expected('E_SHAPE', fn, arg, 'a step {type, coeffs, offset}', raw);
    const st = optionsArg(fn, 1, raw, ['type', 'coeffs', 'offset']);
    const type = oneOf(fn, `${arg}.type`, st.type, ['predict', 'update'] as const);
    const coeffs = checkTensor(st.coeffs, `${arg}.coeffs`);
    if (coeffs.rank !== 1 || coeffs.shape[0] < 1 || coeffs.shape[0] > 256)
      fail('E_SHAPE', `${fn}: argument '${arg}.coeffs' must be a 1-d tensor of 1 to 256 taps; got shape [${coeffs.shape.join(', ')}]`);
    const offset = st.offset === undefined ? 0 : intArg(fn, `${arg}.offset`, st.offset, -1024, 1024);
    return Object.freeze({ type, coeffs, offset });
  });
  let scale: Tensor | null = null;
  if (o.scale instanceof Tensor) {
    scale = checkTensor(o.scale, 'scale');
    if (scale.size !== 1) fail('E_SHAPE', `${fn}: argument 'scale' must hold one value; got shape [${scale.shape.join(', ')}]`);
  } else if (o.scale !== undefined && o.scale !== 1) {
    expected('E_RANGE', fn, 'scale', 'a one-element tensor or the number 1', o.scale);
  }
  if (o.wavelet === undefined) return makeScheme(steps, scale, schemeGeometry(steps.map((st) => ({ type: st.type, offset: st.offset, taps: st.coeffs.shape[0] }))));
  const key = resolveWaveletName(o.wavelet, fn);
  const f = liftingFactorisation(key, fn);
  const same = f.steps.length === steps.length && f.steps.every((t, i) => t.type === steps[i].type && t.offset === steps[i].offset && t.coeffs.length === steps[i].coeffs.shape[0]);
  if (!same)
    fail('E_SHAPE', `${fn}: argument 'steps' must have the types, offsets and tap counts of ${key}'s factorisation (${f.steps.map((t) => `${t.type} ${t.offset}/${t.coeffs.length}`).join(', ')}) to take its alignment`);
  const L = WAVELET_TABLE[key].decLo.length;
  return makeScheme(steps, scale, { filterLength: L, alignment: tableAlignment(L, f) });
});

/** A table wavelet described as pywt's `Wavelet` object describes it, plus its lifting factorisation. */
export interface WaveletInfo {
  /** pywt's name (an alias resolves: 'cdf97' → 'bior4.4'). */
  name: string;
  family: WaveletFamily;
  orthogonal: boolean;
  /** L: the common even length of the four filters; output lengths follow it. */
  filterLength: number;
  decLo: number[];
  decHi: number[];
  recLo: number[];
  recHi: number[];
  /**
   * Steps after the lazy split, then s ← scale·s, d ← d/scale; pywt's periodization outputs are
   * cA[i] = s[i + shiftA], cD[i] = signD·d[i + shiftD] (indices mod n/2).
   */
  lifting: {
    steps: { type: 'predict' | 'update'; offset: number; coeffs: number[] }[];
    scale: number;
    shiftA: number;
    shiftD: number;
    signD: 1 | -1;
  };
}

/**
 * A wavelet's filters exactly as pywt gives them (full double precision; biorthogonal filters
 * zero-padded to one even length) and its lifting factorisation.
 *
 * @example
 * wt.wavelet('cdf97').lifting.steps.map((s) => s.coeffs[0]); // JPEG 2000's α, β, γ, δ
 */
export const wavelet = publicOp('wavelet', function wavelet(name: string): WaveletInfo {
  const key = resolveWaveletName(name, 'wavelet');
  const f = waveletFilters(key, 'wavelet');
  const l = liftingFactorisation(key, 'wavelet');
  return {
    name: key,
    family: f.family,
    orthogonal: f.orthogonal,
    filterLength: f.decLo.length,
    decLo: [...f.decLo],
    decHi: [...f.decHi],
    recLo: [...f.recLo],
    recHi: [...f.recHi],
    lifting: { steps: l.steps.map((s) => ({ type: s.type, offset: s.offset, coeffs: [...s.coeffs] })), scale: l.scale, shiftA: l.shiftA, shiftD: l.shiftD, signD: l.signD },
  };
});

// ---------------------------------------------------------------- lengths

function filterLengthArg(fn: string, w: unknown, min: number): number {
  if (typeof w === 'number') return intArg(fn, 'wavelet', w, min, 1 << 20);
  return resolveWavelet(fn, w).filterLength;
}

function modeArg(fn: string, v: unknown): WaveletMode {
  return v === undefined ? 'symmetric' : oneOf(fn, 'mode', v, WAVELET_MODES);
}

const maxLevelOf = (n: number, L: number) => (n < L - 1 ? 0 : Math.floor(Math.log2(Math.floor(n / (L - 1)))));
const coeffLengthOf = (n: number, L: number, mode: WaveletMode) => (mode === 'periodization' ? Math.ceil(n / 2) : Math.floor((n + L - 1) / 2));

/**
 * pywt's `dwt_max_level`: the deepest level at which a coefficient is still free of edge effects,
 * floor(log2(n / (L − 1))) (0 when n < L − 1). `wavelet` is a name, a learnable scheme or a filter
 * length L ≥ 2.
 */
export const dwtMaxLevel = publicOp('dwtMaxLevel', function dwtMaxLevel(n: number, wavelet: Wavelet | number): number {
  const len = intArg('dwtMaxLevel', 'n', n, 0);
  return maxLevelOf(len, filterLengthArg('dwtMaxLevel', wavelet, 2));
});

/**
 * pywt's `dwt_coeff_len`: coefficients per band of one level of a length-n signal,
 * floor((n + L − 1)/2), or ceil(n/2) in periodization. `wavelet` is a name, a learnable scheme or a
 * filter length L ≥ 1; `mode` defaults to 'symmetric'.
 */
export const dwtCoeffLength = publicOp('dwtCoeffLength', function dwtCoeffLength(n: number, wavelet: Wavelet | number, mode?: WaveletMode): number {
  const len = intArg('dwtCoeffLength', 'n', n, 1);
  const L = filterLengthArg('dwtCoeffLength', wavelet, 1);
  return coeffLengthOf(len, L, modeArg('dwtCoeffLength', mode));
});

// ---------------------------------------------------------------- one level along the last axis

function dataArg(fn: string, arg: string, x: unknown): Tensor {
  const t = tensorArg(fn, arg, x);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') fail('E_DTYPE', `${fn}: argument '${arg}' must be float32 or float64; got ${t.dtype}`);
  if (t.rank === 0) fail('E_SHAPE', `${fn}: argument '${arg}' must have at least one axis; got a scalar`);
  return t;
}

/** x with `axis` moved last (a view), and the inverse move. */
function toLast(x: Tensor, axis: number): Tensor {
  return axis === x.rank - 1 ? x : swapAxes(x, axis, x.rank - 1);
}

const lastLength = (t: Tensor) => t.shape[t.rank - 1];

/** One level along the last axis: the native kernels for a table wavelet, the tape for a learnable one. */
function dwtLast(fn: string, x: Tensor, w: ResolvedWavelet, mode: WaveletMode): [Tensor, Tensor] {
  if (w.factorisation !== null) {
    const [cA, cD] = liftingWavedec(x, w.factorisation, w.filterLength, mode, 1, fn);
    return [cA, cD];
  }
  return tapeDwt(x, (w.tape as (like: Tensor) => TapeLiftingScheme)(x), mode);
}

function idwtLast(fn: string, cA: Tensor, cD: Tensor, w: ResolvedWavelet, mode: WaveletMode): Tensor {
  if (w.factorisation !== null) return liftingWaverec([cA, cD], w.factorisation, w.filterLength, mode, fn);
  return tapeIdwt(cA, cD, (w.tape as (like: Tensor) => TapeLiftingScheme)(cA), mode);
}

/** The idwt length of N coefficients (pywt's idwt_buffer_length); E_SHAPE when too few. */
function reconstructedLength(fn: string, arg: string, N: number, L: number, mode: WaveletMode): number {
  if (mode === 'periodization') return 2 * N;
  if (2 * N < L)
    fail('E_SHAPE', `${fn}: argument '${arg}' has ${N} coefficients along the axis; mode '${mode}' with filter length ${L} needs at least ${L / 2} (did the coefficients come from another wavelet or mode?)`);
  return 2 * N - L + 2;
}

/** x cropped to its first n entries along the last axis (n validated against the length). */
function cropLast(fn: string, x: Tensor, n: unknown): Tensor {
  if (n === undefined) return x;
  const len = lastLength(x);
  const keep = intArg(fn, 'n', n, 1, len);
  if (keep === len) return x;
  const size = x.shape.map((s, i) => (i === x.rank - 1 ? keep : s));
  return slice(x, x.shape.map(() => 0), size);
}

function levelArg(fn: string, v: unknown, min: number): number {
  return intArg(fn, 'level', v, min, 64);
}

// ---------------------------------------------------------------- 1-D transforms

/** Options of {@link dwt}. */
export interface DwtOptions {
  /** Signal extension (default 'symmetric', pywt's default). */
  mode?: WaveletMode;
  /** The axis to transform (default -1). */
  axis?: number;
}

/**
 * One level of the discrete wavelet transform (pywt.dwt): [cA, cD], each
 * floor((n + L − 1)/2) long along `axis` (ceil(n/2) in periodization), with
 * cA[o] = Σ_j decLo[j]·xe[2o + 1 − j] over the signal xe extended by `mode` (cD with decHi).
 * Computed by lifting; differentiable in x (and in a learnable scheme's coefficients).
 *
 * @example
 * const [cA, cD] = wt.dwt(x, 'db2', { mode: 'periodization' });
 */
export const dwt = publicOp('dwt', function dwt(x: Tensor, wavelet: Wavelet, opts?: DwtOptions): Tensor[] {
  const t = dataArg('dwt', 'x', x);
  const w = resolveWavelet('dwt', wavelet);
  const o = optionsArg('dwt', 3, opts, ['mode', 'axis']);
  const mode = modeArg('dwt', o.mode);
  const axis = axisArg('dwt', 'axis', o.axis ?? -1, t.rank);
  if (t.shape[axis] === 0) fail('E_SHAPE', `dwt: argument 'x' has length 0 along axis ${axis}`);
  return dwtLast('dwt', toLast(t, axis), w, mode).map((c) => toLast(c, axis));
});

/** Options of {@link idwt}. */
export interface IdwtOptions extends DwtOptions {
  /** Crop the result to its first n samples along `axis` (an odd original length: n). */
  n?: number;
}

/**
 * One level of the inverse transform (pywt.idwt): 2N − L + 2 samples from N coefficients per band
 * (2N in periodization), so coefficients of an odd-length signal give one sample more, as in pywt;
 * `n` crops to the original length. Either band may be null (zeros). Differentiable in both bands.
 */
export const idwt = publicOp('idwt', function idwt(cA: Tensor | null, cD: Tensor | null, wavelet: Wavelet, opts?: IdwtOptions): Tensor {
  if (cA == null && cD == null) fail('E_RANGE', "idwt: arguments 'cA' and 'cD' are both null; pass at least one of them");
  const a = cA == null ? null : dataArg('idwt', 'cA', cA);
  const d = cD == null ? null : dataArg('idwt', 'cD', cD);
  if (a !== null && d !== null) {
    if (a.dtype !== d.dtype) fail('E_DTYPE', `idwt: arguments 'cA' (${a.dtype}) and 'cD' (${d.dtype}) must have one dtype`);
    if (a.device !== d.device) fail('E_DEVICE', `idwt: argument 'cA' is on ${a.device} but 'cD' is on ${d.device}`);
    if (a.shape.join() !== d.shape.join())
      fail('E_SHAPE', `idwt: arguments 'cA' [${a.shape.join(', ')}] and 'cD' [${d.shape.join(', ')}] must have one shape`);
  }
  const like = (a ?? d) as Tensor;
  const w = resolveWavelet('idwt', wavelet);
  const o = optionsArg('idwt', 4, opts, ['mode', 'axis', 'n']);
  const mode = modeArg('idwt', o.mode);
  const axis = axisArg('idwt', 'axis', o.axis ?? -1, like.rank);
  const N = like.shape[axis];
  if (N === 0) fail('E_SHAPE', `idwt: the coefficients have length 0 along axis ${axis}`);
  reconstructedLength('idwt', a === null ? 'cD' : 'cA', N, w.filterLength, mode);
  const zero = () => zeros(like.shape, { dtype: like.dtype, device: like.device });
  const rec = idwtLast('idwt', toLast(a ?? zero(), axis), toLast(d ?? zero(), axis), w, mode);
  return toLast(cropLast('idwt', rec, o.n), axis);
});

/** Options of {@link wavedec}. */
export interface WavedecOptions extends DwtOptions {
  /** Levels, 0 … 64 (default dwtMaxLevel(n, wavelet)); more than the maximum is allowed, as in pywt. */
  level?: number;
}

/**
 * The multilevel transform (pywt.wavedec): [cA_level, cD_level, …, cD_1], each level the dwt of
 * the previous approximation. Level 0 gives [x].
 *
 * @example
 * const coeffs = wt.wavedec(x, 'db4', { level: 3 });   // 4 tensors
 * const back = wt.waverec(coeffs, 'db4', { n: x.shape[x.rank - 1] });
 */
export const wavedec = publicOp('wavedec', function wavedec(x: Tensor, wavelet: Wavelet, opts?: WavedecOptions): Tensor[] {
  const t = dataArg('wavedec', 'x', x);
  const w = resolveWavelet('wavedec', wavelet);
  const o = optionsArg('wavedec', 3, opts, ['level', 'mode', 'axis']);
  const mode = modeArg('wavedec', o.mode);
  const axis = axisArg('wavedec', 'axis', o.axis ?? -1, t.rank);
  const n = t.shape[axis];
  if (n === 0) fail('E_SHAPE', `wavedec: argument 'x' has length 0 along axis ${axis}`);
  const level = o.level === undefined ? maxLevelOf(n, w.filterLength) : levelArg('wavedec', o.level, 0);
  if (level === 0) return [identity(t)];
  const last = toLast(t, axis);
  if (w.factorisation !== null) return liftingWavedec(last, w.factorisation, w.filterLength, mode, level, 'wavedec').map((c) => toLast(c, axis));
  const details: Tensor[] = [];
  let a = last;
  for (let l = 0; l < level; l++) {
    const [cA, cD] = dwtLast('wavedec', a, w, mode);
    details.push(toLast(cD, axis));
    a = cA;
  }
  return [toLast(a, axis), ...details.reverse()];
});

/** Options of {@link waverec}. */
export type WaverecOptions = IdwtOptions;

/**
 * Checks that details `d` fit the approximation `a` (same shape, `a` at most one longer along the
 * transformed axes) and returns `a` cropped to d's shape.
 */
function fitApproximation(fn: string, a: Tensor, d: Tensor, i: number, axes: number[]): Tensor {
  const sa = a.shape;
  const sd = d.shape;
  const fits = sa.length === sd.length && sa.every((s, k) => s === sd[k] || (axes.includes(k) && s === sd[k] + 1));
  if (!fits)
    fail('E_SHAPE', `${fn}: coefficients ${i} [${sd.join(', ')}] do not fit the approximation [${sa.join(', ')}] reconstructed before them (same shape, the approximation at most one longer along axes ${axes.join(', ')})`);
  if (a.dtype !== d.dtype) fail('E_DTYPE', `${fn}: coefficients ${i} are ${d.dtype} but the approximation is ${a.dtype}`);
  if (a.device !== d.device) fail('E_DEVICE', `${fn}: coefficients ${i} are on ${d.device} but the approximation is on ${a.device}`);
  return sa.every((s, k) => s === sd[k]) ? a : slice(a, sa.map(() => 0), sd);
}

/**
 * The multilevel inverse (pywt.waverec) of [cA_level, cD_level, …, cD_1]: idwt level by level,
 * dropping the last sample of an approximation one longer than the next details (an odd length
 * on the way down), as pywt does. `n` crops the result to the original length, so every length
 * round-trips: waverec(wavedec(x), {n}) = x.
 */
export const waverec = publicOp('waverec', function waverec(coeffs: Tensor[], wavelet: Wavelet, opts?: WaverecOptions): Tensor {
  const cs = tensorListArg('waverec', 'coeffs', coeffs);
  cs.forEach((c, i) => dataArg('waverec', `coeffs[${i}]`, c));
  const w = resolveWavelet('waverec', wavelet);
  const o = optionsArg('waverec', 3, opts, ['mode', 'axis', 'n']);
  const mode = modeArg('waverec', o.mode);
  const axis = axisArg('waverec', 'axis', o.axis ?? -1, cs[0].rank);
  if (cs.length === 1) return identity(toLast(cropLast('waverec', toLast(cs[0], axis), o.n), axis));
  // The lengths level by level, checked before any work: each details tensor fits the approximation.
  let shape = cs[0].shape;
  for (let i = 1; i < cs.length; i++) {
    const d = cs[i];
    const sd = d.shape;
    if (shape.length !== sd.length || shape.some((s, k) => s !== sd[k] && !(k === axis && s === sd[k] + 1)))
      fail('E_SHAPE', `waverec: coefficients ${i} [${sd.join(', ')}] do not fit the approximation [${shape.join(', ')}] reconstructed before them (same shape, the approximation at most one longer along axis ${axis})`);
    shape = sd.map((s, k) => (k === axis ? reconstructedLength('waverec', `coeffs[${i}]`, s, w.filterLength, mode) : s));
  }
  let a: Tensor;
  if (w.factorisation !== null) a = liftingWaverec(cs.map((c) => toLast(c, axis)), w.factorisation, w.filterLength, mode, 'waverec');
  else {
    a = toLast(cs[0], axis);
    for (let i = 1; i < cs.length; i++) {
      const d = toLast(cs[i], axis);
      a = idwtLast('waverec', lastLength(a) === lastLength(d) ? a : cropLast('waverec', a, lastLength(d)), d, w, mode);
    }
  }
  return toLast(cropLast('waverec', a, o.n), axis);
});

// ---------------------------------------------------------------- stationary transform

/** Options of {@link swt}. */
export interface SwtOptions {
  /** Levels ≥ 1 (default: how often 2 divides n); n must be divisible by 2^level. */
  level?: number;
  /** The axis to transform (default -1). */
  axis?: number;
}

/**
 * Positions (m·D + r) mod n for r < 2D, m < n/D, r-major: the 2D polyphase sequences whose
 * periodization DWTs interleave into one undecimated level with dilation D.
 */
function polyphaseIndices(n: number, D: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < 2 * D; r++) for (let m = 0; m < n / D; m++) out.push((m * D + r) % n);
  return out;
}

/** [..., 2D, n/2D] (r-major) → [..., n] with out[i·2D + r] = c[r, i]. */
function interleave(c: Tensor, D: number): Tensor {
  const lead = c.shape.slice(0, -2);
  const perm = [...lead.keys(), lead.length + 1, lead.length];
  return reshape(transpose(c, perm), [...lead, 2 * D * c.shape[c.rank - 1]]);
}

/** [..., n] → [..., 2D, n/2D] with c[r, i] = x[i·2D + r]: the inverse of {@link interleave}. */
function deinterleave(x: Tensor, D: number): Tensor {
  const lead = x.shape.slice(0, -1);
  const n = lastLength(x);
  const perm = [...lead.keys(), lead.length + 1, lead.length];
  return transpose(reshape(x, [...lead, n / (2 * D), 2 * D]), perm);
}

/**
 * The stationary (undecimated, shift-invariant) wavelet transform (pywt.swt with
 * trim_approx=False, norm=False): [[cA_level, cD_level], …, [cA_1, cD_1]], every band n long.
 * Level j filters the previous approximation with the filters dilated by 2^(j−1), circularly:
 * cA_j[o] = Σ_k decLo[k]·cA_{j−1}[(o + 2^(j−1)·(L/2 − k)) mod n]. Computed à trous: the 2^j
 * polyphase sequences of a level are transformed by the periodization DWT and interleaved.
 * n must be divisible by 2^level (E_SHAPE). Differentiable by composition.
 */
export const swt = publicOp('swt', function swt(x: Tensor, wavelet: Wavelet, opts?: SwtOptions): Tensor[][] {
  const t = dataArg('swt', 'x', x);
  const w = resolveWavelet('swt', wavelet);
  const o = optionsArg('swt', 3, opts, ['level', 'axis']);
  const axis = axisArg('swt', 'axis', o.axis ?? -1, t.rank);
  const n = t.shape[axis];
  let maxLevel = 0;
  while (n > 0 && n % 2 ** (maxLevel + 1) === 0) maxLevel++;
  const level = o.level === undefined ? maxLevel : levelArg('swt', o.level, 1);
  if (level < 1 || n % 2 ** level !== 0)
    fail('E_SHAPE', `swt: argument 'x' has length ${n} along axis ${axis}, which 2^${Math.max(level, 1)} does not divide; swt needs a multiple of 2^level (pad the signal)`);
  const out: Tensor[][] = [];
  let a = toLast(t, axis);
  for (let j = 1; j <= level; j++) {
    const D = 2 ** (j - 1);
    const phases = gather(a, polyphaseIndices(n, D), a.rank - 1);
    const [cA, cD] = dwtLast('swt', reshape(phases, [...a.shape.slice(0, -1), 2 * D, n / D]), w, 'periodization');
    a = interleave(cA, D);
    out.push([toLast(a, axis), toLast(interleave(cD, D), axis)]);
  }
  return out.reverse();
});

/** Options of {@link iswt}. */
export interface IswtOptions {
  /** The axis that was transformed (default -1). */
  axis?: number;
}

/**
 * The inverse of {@link swt} (pywt.iswt): from [[cA_level, cD_level], …, [cA_1, cD_1]] it uses
 * cA_level and every cD, as pywt does. Each level inverts the periodization DWT of both polyphase
 * halves and averages them (the second shifted back by one), so iswt(swt(x)) = x.
 */
export const iswt = publicOp('iswt', function iswt(coeffs: Tensor[][], wavelet: Wavelet, opts?: IswtOptions): Tensor {
  if (!Array.isArray(coeffs) || coeffs.length === 0) expected('E_SHAPE', 'iswt', 'coeffs', 'a non-empty array of [cA, cD] pairs', coeffs);
  if (coeffs.length > 64) fail('E_SHAPE', `iswt: argument 'coeffs' has ${coeffs.length} levels; at most 64`);
  const pairs = coeffs.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) expected('E_SHAPE', 'iswt', `coeffs[${i}]`, 'a pair [cA, cD]', p);
    return p;
  });
  const flat = tensorListArg('iswt', 'coeffs', pairs.flat());
  flat.forEach((c, i) => dataArg('iswt', `coeffs[${i >> 1}][${i & 1}]`, c));
  const shape = flat[0].shape;
  flat.forEach((c, i) => {
    if (c.shape.join() !== shape.join())
      fail('E_SHAPE', `iswt: argument 'coeffs[${i >> 1}][${i & 1}]' has shape [${c.shape.join(', ')}]; every band must have the shape [${shape.join(', ')}] of coeffs[0][0]`);
  });
  const w = resolveWavelet('iswt', wavelet);
  const o = optionsArg('iswt', 3, opts, ['axis']);
  const axis = axisArg('iswt', 'axis', o.axis ?? -1, flat[0].rank);
  const n = shape[axis];
  const levels = pairs.length;
  if (n === 0 || n % 2 ** levels !== 0)
    fail('E_SHAPE', `iswt: the bands have length ${n} along axis ${axis}, which 2^${levels} (the number of levels) does not divide`);
  let a = toLast(flat[0], axis);
  for (let j = levels; j >= 1; j--) {
    const D = 2 ** (j - 1);
    const cD = toLast(flat[2 * (levels - j) + 1], axis);
    // [..., 2D, n/D]: row r reconstructs x[m·D + r] (r < D) or x[(m + 1)·D + r − D] (r ≥ D).
    const rec = idwtLast('iswt', deinterleave(a, D), deinterleave(cD, D), w, 'periodization');
    const lead = rec.shape.slice(0, -2);
    const rows = (start: number) => slice(rec, [...lead.map(() => 0), start, 0], [...lead, D, n / D]);
    const avg = mul(add(rows(0), roll(rows(D), 1, rec.rank - 1)), 0.5);
    a = reshape(transpose(avg, [...lead.keys(), lead.length + 1, lead.length]), [...lead, n]);
  }
  return toLast(a, axis);
});

// ---------------------------------------------------------------- 2-D transforms

/** Options of {@link dwt2} and {@link idwt2}. */
export interface Dwt2Options {
  /** Signal extension (default 'symmetric'). */
  mode?: WaveletMode;
  /** The two axes (default [-2, -1]); cH details axes[0], cV axes[1]. */
  axes?: [number, number];
}

function axesPair(fn: string, v: unknown, rank: number): [number, number] {
  if (rank < 2) fail('E_SHAPE', `${fn}: the data must have at least two axes; got ${rank}`);
  const axes = axesArg(fn, 'axes', v ?? [-2, -1], rank);
  if (axes.length !== 2) fail('E_SHAPE', `${fn}: argument 'axes' must name two axes; got ${axes.length}`);
  return [axes[0], axes[1]];
}

/**
 * One level of the 2-D transform (pywt.dwt2) over the last two axes (or `axes`):
 * [cA, [cH, cV, cD]], the 1-D dwt along axes[0] and then axes[1]; cH is the detail along axes[0]
 * (approximation along axes[1]), cV the reverse, cD detail along both.
 */
export const dwt2 = publicOp('dwt2', function dwt2(x: Tensor, wavelet: Wavelet, opts?: Dwt2Options): [Tensor, Tensor[]] {
  const t = dataArg('dwt2', 'x', x);
  const w = resolveWavelet('dwt2', wavelet);
  const o = optionsArg('dwt2', 3, opts, ['mode', 'axes']);
  const mode = modeArg('dwt2', o.mode);
  const [ax0, ax1] = axesPair('dwt2', o.axes, t.rank);
  if (t.shape[ax0] === 0 || t.shape[ax1] === 0) fail('E_SHAPE', `dwt2: argument 'x' [${t.shape.join(', ')}] is empty along the transformed axes`);
  const along = (v: Tensor, axis: number) => dwtLast('dwt2', toLast(v, axis), w, mode).map((c) => toLast(c, axis));
  const [lo, hi] = along(t, ax0);
  const [ll, lh] = along(lo, ax1);
  const [hl, hh] = along(hi, ax1);
  return [ll, [hl, lh, hh]];
});

/** Options of {@link idwt2}. */
export type Idwt2Options = Dwt2Options;

/**
 * The inverse of {@link dwt2} (pywt.idwt2) from [cA, [cH, cV, cD]]: the 1-D idwt along axes[1]
 * and then axes[0]. Any band may be null (zeros); at least one must be given, all of one shape.
 */
export const idwt2 = publicOp('idwt2', function idwt2(coeffs: [Tensor | null, (Tensor | null)[]], wavelet: Wavelet, opts?: Idwt2Options): Tensor {
  const bands = twoDBands('idwt2', coeffs);
  const w = resolveWavelet('idwt2', wavelet);
  const o = optionsArg('idwt2', 3, opts, ['mode', 'axes']);
  const mode = modeArg('idwt2', o.mode);
  const like = bands.find((b) => b !== null) as Tensor;
  const [ax0, ax1] = axesPair('idwt2', o.axes, like.rank);
  return inverse2(bands, w, mode, ax0, ax1);
});

/** [cA, cH, cV, cD] of a 2-D coefficient set, validated: one shape, dtype and device; not all null. */
function twoDBands(fn: string, coeffs: unknown): (Tensor | null)[] {
  if (!Array.isArray(coeffs) || coeffs.length !== 2) expected('E_SHAPE', fn, 'coeffs', 'a pair [cA, [cH, cV, cD]]', coeffs);
  const cA = coeffs[0] == null ? null : dataArg(fn, 'coeffs[0]', coeffs[0]);
  const bands = [cA, ...detailBands(fn, coeffs[1], 'coeffs[1]')];
  if (bands.every((b) => b === null)) fail('E_RANGE', `${fn}: argument 'coeffs' holds no tensor; pass at least one band`);
  sameBands(fn, bands, 'coeffs');
  return bands;
}

/** [cH, cV, cD] (any may be null), validated: one shape, dtype and device. */
function detailBands(fn: string, v: unknown, where: string): (Tensor | null)[] {
  if (!Array.isArray(v) || v.length !== 3) expected('E_SHAPE', fn, where, 'a triple [cH, cV, cD] of tensors (or nulls)', v);
  const bands = (v as unknown[]).map((b, i) => (b == null ? null : dataArg(fn, `${where}[${i}]`, b)));
  sameBands(fn, bands, where);
  return bands;
}

function sameBands(fn: string, bands: (Tensor | null)[], where: string): void {
  const given = bands.filter((b): b is Tensor => b !== null);
  for (const b of given) {
    if (b.dtype !== given[0].dtype) fail('E_DTYPE', `${fn}: the bands of '${where}' must have one dtype; got ${given[0].dtype} and ${b.dtype}`);
    if (b.device !== given[0].device) fail('E_DEVICE', `${fn}: the bands of '${where}' must be on one device; got ${given[0].device} and ${b.device}`);
    if (b.shape.join() !== given[0].shape.join())
      fail('E_SHAPE', `${fn}: the bands of '${where}' must have one shape; got [${given[0].shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
}

function inverse2(bands: (Tensor | null)[], w: ResolvedWavelet, mode: WaveletMode, ax0: number, ax1: number): Tensor {
  const like = bands.find((b) => b !== null) as Tensor;
  if (like.rank < 2) fail('E_SHAPE', `the bands must have at least two axes; got ${like.rank}`);
  for (const ax of [ax0, ax1]) reconstructedLength('idwt2', 'coeffs', like.shape[ax], w.filterLength, mode);
  const zero = () => zeros(like.shape, { dtype: like.dtype, device: like.device });
  const along = (a: Tensor | null, d: Tensor | null, axis: number): Tensor | null => {
    if (a === null && d === null) return null;
    const z = a === null || d === null ? zero() : null;
    return toLast(idwtLast('idwt2', toLast(a ?? (z as Tensor), axis), toLast(d ?? (z as Tensor), axis), w, mode), axis);
  };
  const [ll, hl, lh, hh] = bands;
  const lo = along(ll, lh, ax1);
  const hi = along(hl, hh, ax1);
  if (lo === null || hi === null) {
    const one = (lo ?? hi) as Tensor;
    const z = zeros(one.shape, { dtype: one.dtype, device: one.device });
    return along(lo ?? z, hi ?? z, ax0) as Tensor;
  }
  return along(lo, hi, ax0) as Tensor;
}

/** Options of {@link wavedec2}. */
export interface Wavedec2Options extends Dwt2Options {
  /** Levels, 0 … 64 (default: the smaller dwtMaxLevel of the two axes). */
  level?: number;
}

/** The multilevel 2-D transform (pywt.wavedec2): [cA_level, [cH, cV, cD]_level, …, [cH, cV, cD]_1]. */
export const wavedec2 = publicOp('wavedec2', function wavedec2(x: Tensor, wavelet: Wavelet, opts?: Wavedec2Options): (Tensor | Tensor[])[] {
  const t = dataArg('wavedec2', 'x', x);
  const w = resolveWavelet('wavedec2', wavelet);
  const o = optionsArg('wavedec2', 3, opts, ['level', 'mode', 'axes']);
  const mode = modeArg('wavedec2', o.mode);
  const [ax0, ax1] = axesPair('wavedec2', o.axes, t.rank);
  if (t.shape[ax0] === 0 || t.shape[ax1] === 0) fail('E_SHAPE', `wavedec2: argument 'x' [${t.shape.join(', ')}] is empty along the transformed axes`);
  const level = o.level === undefined
    ? Math.min(maxLevelOf(t.shape[ax0], w.filterLength), maxLevelOf(t.shape[ax1], w.filterLength))
    : levelArg('wavedec2', o.level, 0);
  const details: Tensor[][] = [];
  let a = t;
  for (let l = 0; l < level; l++) {
    const [ll, ds] = dwt2(a, wavelet, { mode, axes: [ax0, ax1] });
    details.push(ds);
    a = ll;
  }
  return [level === 0 ? identity(t) : a, ...details.reverse()];
});

/** Options of {@link waverec2}. */
export type Waverec2Options = Dwt2Options;

/**
 * The multilevel 2-D inverse (pywt.waverec2) of [cA, [cH, cV, cD]_level, …, [cH, cV, cD]_1]:
 * idwt2 level by level, cropping an approximation one longer than the next details along an axis,
 * as pywt does. Detail bands may be null (zeros).
 */
export const waverec2 = publicOp('waverec2', function waverec2(coeffs: (Tensor | (Tensor | null)[])[], wavelet: Wavelet, opts?: Waverec2Options): Tensor {
  if (!Array.isArray(coeffs) || coeffs.length === 0) expected('E_SHAPE', 'waverec2', 'coeffs', 'a non-empty array [cA, [cH, cV, cD], …]', coeffs);
  if (coeffs.length > 65) fail('E_SHAPE', `waverec2: argument 'coeffs' has ${coeffs.length} entries; at most 65 (64 levels)`);
  let a = dataArg('waverec2', 'coeffs[0]', coeffs[0]);
  const w = resolveWavelet('waverec2', wavelet);
  const o = optionsArg('waverec2', 3, opts, ['mode', 'axes']);
  const mode = modeArg('waverec2', o.mode);
  const [ax0, ax1] = axesPair('waverec2', o.axes, a.rank);
  if (coeffs.length === 1) return identity(a);
  for (let i = 1; i < coeffs.length; i++) {
    const bands = detailBands('waverec2', coeffs[i], `coeffs[${i}]`);
    const d = bands.find((b) => b !== null);
    if (d != null) a = fitApproximation('waverec2', a, d, i, [ax0, ax1]);
    a = inverse2([a, ...bands], w, mode, ax0, ax1);
  }
  return a;
});

/** Every wavelet name the transforms accept: pywt's table, then the aliases cdf53 and cdf97. */
export const waveletNames = publicOp('waveletNames', function waveletNames(): string[] {
  return tableNames();
});
