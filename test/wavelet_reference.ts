// Float64 references for the wavelet tests, written from the definitions (not from the code under
// test): pywt's extension modes as recursive mirror rules, and its filter banks as direct sums.
import { WAVELET_TABLE } from '../lib/wavelets/filters';

export type Mode = 'zero' | 'constant' | 'symmetric' | 'reflect' | 'periodic' | 'smooth' | 'antisymmetric' | 'antireflect' | 'periodization';
export const MODES: Mode[] = ['zero', 'constant', 'symmetric', 'reflect', 'periodic', 'smooth', 'antisymmetric', 'antireflect', 'periodization'];

export interface Bank {
  decLo: readonly number[];
  decHi: readonly number[];
  recLo: readonly number[];
  recHi: readonly number[];
}

export const bankOf = (name: string): Bank => WAVELET_TABLE[name];

/**
 * x extended by an expansive mode, at any integer position, by the mode's mirror rule applied
 * until the position falls inside the signal (n = 1: reflect, antireflect and smooth are constant).
 */
export function extended(x: ArrayLike<number>, mode: Exclude<Mode, 'periodization'>, p: number): number {
  const n = x.length;
  if (p >= 0 && p < n) return x[p];
  const m = n === 1 && (mode === 'reflect' || mode === 'antireflect' || mode === 'smooth') ? 'constant' : mode;
  switch (m) {
    case 'zero':
      return 0;
    case 'constant':
      return p < 0 ? x[0] : x[n - 1];
    case 'periodic':
      return extended(x, m, p < 0 ? p + n : p - n);
    case 'symmetric': // mirror about −1/2 and n − 1/2
      return extended(x, m, p < 0 ? -1 - p : 2 * n - 1 - p);
    case 'reflect': // mirror about 0 and n − 1
      return extended(x, m, p < 0 ? -p : 2 * (n - 1) - p);
    case 'antisymmetric':
      return -extended(x, m, p < 0 ? -1 - p : 2 * n - 1 - p);
    case 'antireflect': // point reflection about (0, x0) and (n − 1, x[n−1])
      return p < 0 ? 2 * x[0] - extended(x, m, -p) : 2 * x[n - 1] - extended(x, m, 2 * (n - 1) - p);
    case 'smooth':
      return p < 0 ? x[0] + -p * (x[0] - x[1]) : x[n - 1] + (p - n + 1) * (x[n - 1] - x[n - 2]);
    default:
      throw new Error(mode);
  }
}

/** pywt.dwt of one signal: direct filter-bank sums. */
export function dwtRef(x: ArrayLike<number>, bank: Bank, mode: Mode): [number[], number[]] {
  const L = bank.decLo.length;
  if (mode === 'periodization') {
    const xp = x.length % 2 === 0 ? Array.from(x) : [...Array.from(x), x[x.length - 1]];
    const n = xp.length;
    const band = (f: readonly number[]) =>
      Array.from({ length: n / 2 }, (_, i) => f.reduce((acc, fj, j) => acc + fj * xp[(((2 * i + L / 2 - j) % n) + n) % n], 0));
    return [band(bank.decLo), band(bank.decHi)];
  }
  const N = Math.floor((x.length + L - 1) / 2);
  const band = (f: readonly number[]) => Array.from({ length: N }, (_, o) => f.reduce((acc, fj, j) => acc + fj * extended(x, mode, 2 * o + 1 - j), 0));
  return [band(bank.decLo), band(bank.decHi)];
}

/** pywt.idwt: the upsampled synthesis sums (circular in periodization, the valid part otherwise). */
export function idwtRef(cA: ArrayLike<number>, cD: ArrayLike<number>, bank: Bank, mode: Mode): number[] {
  const L = bank.recLo.length;
  const N = cA.length;
  if (mode === 'periodization') {
    const n = 2 * N;
    const out = new Array<number>(n).fill(0);
    for (let i = 0; i < N; i++)
      for (let k = 0; k < L; k++) {
        const m = (((2 * i + k + 1 - L / 2) % n) + n) % n;
        out[m] += bank.recLo[k] * cA[i] + bank.recHi[k] * cD[i];
      }
    return out;
  }
  const len = 2 * N - L + 2;
  return Array.from({ length: len }, (_, k) => {
    let acc = 0;
    // The o with 0 <= j = k + L − 2 − 2o < L (linear time, so long rows stay cheap).
    for (let o = Math.max(0, Math.ceil((k - 1) / 2)); o <= Math.min(N - 1, Math.floor((k + L - 2) / 2)); o++) {
      const j = k + L - 2 - 2 * o;
      acc += bank.recLo[j] * cA[o] + bank.recHi[j] * cD[o];
    }
    return acc;
  });
}

/** pywt.wavedec. */
export function wavedecRef(x: ArrayLike<number>, bank: Bank, mode: Mode, level: number): number[][] {
  const out: number[][] = [];
  let a = Array.from(x);
  for (let l = 0; l < level; l++) {
    const [cA, cD] = dwtRef(a, bank, mode);
    out.unshift(cD);
    a = cA;
  }
  return [a, ...out];
}

/** pywt.waverec: idwt level by level, an approximation one longer than the next details cropped. */
export function waverecRef(coeffs: ArrayLike<number>[], bank: Bank, mode: Mode): number[] {
  let a = Array.from(coeffs[0]);
  for (const d of coeffs.slice(1)) a = idwtRef(a.length === d.length + 1 ? a.slice(0, d.length) : a, d, bank, mode);
  return a;
}

/** pywt.swt (trim_approx=False, norm=False): [[cA_L, cD_L], …, [cA_1, cD_1]]. */
export function swtRef(x: ArrayLike<number>, bank: Bank, level: number): number[][][] {
  const L = bank.decLo.length;
  const n = x.length;
  const out: number[][][] = [];
  let a = Array.from(x);
  for (let j = 1; j <= level; j++) {
    const D = 2 ** (j - 1);
    const band = (f: readonly number[]) =>
      Array.from({ length: n }, (_, o) => f.reduce((acc, fk, k) => acc + fk * a[(((o + D * (L / 2 - k)) % n) + n) % n], 0));
    const cA = band(bank.decLo);
    out.unshift([cA, band(bank.decHi)]);
    a = cA;
  }
  return out;
}

/** pywt.iswt: per level and residue class, two periodization idwts averaged (the odd one rolled right). */
export function iswtRef(coeffs: number[][][], bank: Bank): number[] {
  const levels = coeffs.length;
  const out = Array.from(coeffs[0][0]);
  const n = out.length;
  for (let j = levels; j >= 1; j--) {
    const D = 2 ** (j - 1);
    const cD = coeffs[levels - j][1];
    for (let first = 0; first < D; first++) {
      const idx: number[] = [];
      for (let i = first; i < n; i += D) idx.push(i);
      const even = idx.filter((_, k) => k % 2 === 0);
      const odd = idx.filter((_, k) => k % 2 === 1);
      const x1 = idwtRef(even.map((i) => out[i]), even.map((i) => cD[i]), bank, 'periodization');
      const x2 = idwtRef(odd.map((i) => out[i]), odd.map((i) => cD[i]), bank, 'periodization');
      const rolled = x2.map((_, k) => x2[(k - 1 + x2.length) % x2.length]);
      idx.forEach((i, k) => (out[i] = (x1[k] + rolled[k]) / 2));
    }
  }
  return out;
}

/** pywt.dwt_max_level. */
export const maxLevelRef = (n: number, L: number): number => {
  if (n < L - 1) return 0;
  let q = Math.floor(n / (L - 1));
  let level = -1;
  while (q > 0) {
    q = Math.floor(q / 2);
    level++;
  }
  return level;
};

export const maxAbs = (...arrays: ArrayLike<number>[]): number => arrays.reduce((m, a) => Array.from(a).reduce((mm, v) => Math.max(mm, Math.abs(v)), m), 0);

export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
