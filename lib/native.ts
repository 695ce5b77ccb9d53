/**
 * The typed surface of the native addon (`wavetape.node`), loaded once per environment.
 * Everything here is internal: the public API wraps it in {@link Tensor} and the ops.
 * Internal: not part of the public API (the package index does not export it).
 */
import * as path from 'path';
import { WavetapeError } from './errors';

/**
 * A tensor as the binding sees it: an id into this environment's handle table, generation·2^22 +
 * slot (an integer double below 2^53, so a disposed tensor's id is never issued again).
 */
export type Handle = number;
export type DTypeName = 'float32' | 'float64' | 'complex64' | 'complex128' | 'int32';

export interface BackendInfo {
  name: string;
  loaded: boolean;
  path: string;
  reason: string;
  devices: string[];
}

export interface DeviceMemory {
  tensors: number;
  bytes: number;
  cachedBytes: number;
}

export interface NativeBinding {
  init(opts: { errorClass: typeof WavetapeError; pluginDirs: string[]; simt: boolean }): void;
  devices(): string[];
  backends(): BackendInfo[];
  /** byDevice: this environment's live handles; process: every environment's (see lib/memory.ts). */
  memory(): { byDevice: Record<string, DeviceMemory>; process: Record<string, DeviceMemory> };
  releaseCache(): void;
  numThreads(): number;
  setNumThreads(n: number): void;
  read(h: Handle): Promise<Float32Array | Float64Array | Int32Array>;
  readSync(h: Handle): Float32Array | Float64Array | Int32Array;
  dispose(h: Handle): void;
  describe(h: Handle): [number[], DTypeName, string];
  sync(): void;
  fromData(data: Float32Array | Float64Array | Int32Array, shape: number[], dtype: DTypeName, device: string): Handle;
  full(shape: number[], dtype: DTypeName, device: string, re: number, im: number): Handle;
  iota(n: number, dtype: DTypeName, device: string, start: number, step: number): Handle;
  random(kind: number, shape: number[], dtype: DTypeName, device: string, seed: number, offset: number, p0: number, p1: number): Handle;
  alias(h: Handle): Handle;
  reshape(h: Handle, shape: number[]): Handle;
  permute(h: Handle, axes: number[]): Handle;
  slice(h: Handle, start: number[], stop: number[], step: number[]): Handle;
  expand(h: Handle, shape: number[]): Handle;
  viewAsReal(h: Handle): Handle;
  viewAsComplex(h: Handle): Handle;
  contiguous(h: Handle): Handle;
  cast(h: Handle, dtype: DTypeName): Handle;
  copyInto(out: Handle, x: Handle): void;
  unary(code: number, x: Handle, p0: number, p1: number): Handle;
  binary(code: number, a: Handle, b: Handle): Handle;
  where(cond: Handle, a: Handle, b: Handle): Handle;
  reduce(code: number, x: Handle, axes: number[], keepdims: boolean): Handle;
  matmul(a: Handle, b: Handle): Handle;
  gather(x: Handle, indices: Handle, axis: number): Handle;
  scatterAdd(src: Handle, indices: Handle, axis: number, size: number): Handle;
  to(h: Handle, device: string): Handle;
  /** FFT family (native/napi/fft_ops.cc): n = -1 for the default length; scale from norm. */
  fft(x: Handle, n: number, axis: number, inverse: boolean, scale: number): Handle;
  rfft(x: Handle, n: number, axis: number, scale: number): Handle;
  irfft(x: Handle, n: number, axis: number, scale: number): Handle;
  /** Trust-region family (native/napi/trust_region_ops.cc); results in the order of core's structs. */
  cauchyStep(g: Handle, model: Handle, diagonal: boolean, delta: Handle): [Handle, Handle, Handle, Handle];
  updateRadius(actual: Handle, predicted: Handle, delta: Handle, onBoundary: Handle, eta1: number, eta2: number,
    gamma1: number, gamma2: number, deltaMax: number, deltaMin: number, eta: number): [Handle, Handle, Handle];
  /** m, v null on the first step; returns [param, m, v]. */
  adamStep(param: Handle, grad: Handle, m: Handle | null, v: Handle | null, lr: number, beta1: number, beta2: number,
    eps: number, weightDecay: number, bc1: number, bc2Sqrt: number, decoupled: boolean): [Handle, Handle, Handle];
  /** buf null on the first step or without momentum; returns [param, buf (null without momentum)]. */
  sgdStep(param: Handle, grad: Handle, buf: Handle | null, lr: number, momentum: number, dampening: number,
    weightDecay: number, nesterov: boolean, first: boolean): [Handle, Handle | null];
  /** Wavelet family (native/napi/wavelet_ops.cc): `scheme` flattened as core's waveletParams reads it;
   * analysis returns the packed [..., total] coefficients [cA_L, cD_L, ..., cD_1]. */
  waveletAnalysis(x: Handle, fn: string, mode: string, filterLen: number, scheme: number[], level: number): Handle;
  waveletAnalysisAdjoint(grad: Handle, n: number, fn: string, mode: string, filterLen: number, scheme: number[], level: number): Handle;
  waveletSynthesis(coeffs: Handle[], fn: string, mode: string, filterLen: number, scheme: number[]): Handle;
  waveletSynthesisAdjoint(grad: Handle, lengths: number[], fn: string, mode: string, filterLen: number, scheme: number[]): Handle;
  /** Soft-DTW family (native/napi/sdtw_ops.cc): band -1 for none; width the stored columns per DP row;
   * fn the public name in messages. Forwards return [values, transition weights], the weights null
   * unless keepWeights (a forward no backward reads neither computes nor stores them). */
  sdtwPairs(x: Handle, y: Handle, pairs: Handle, lengthsX: Handle, lengthsY: Handle, gamma: number, band: number,
    width: number, keepWeights: boolean, fn: string): [Handle, Handle | null];
  /** Per-pair [∂value/∂x [P, Tx, D], ∂value/∂y [P, Ty, D]]. */
  sdtwPairsBackward(x: Handle, y: Handle, pairs: Handle, lengthsX: Handle, lengthsY: Handle, transitions: Handle,
    gamma: number, band: number, width: number, fn: string): [Handle, Handle];
  sdtwCost(cost: Handle, lengthsX: Handle, lengthsY: Handle, gamma: number, band: number, width: number,
    keepWeights: boolean, fn: string): [Handle, Handle | null];
  sdtwCostBackward(cost: Handle, lengthsX: Handle, lengthsY: Handle, transitions: Handle, dvalue: Handle,
    gamma: number, band: number, width: number, fn: string): Handle;
}

/** Codes shared with native/abi/plugin_abi.h (wt_unary, wt_binary, wt_reduce, wt_random). */
export const UN = {
  NEG: 0, ABS: 1, SQUARE: 2, SQRT: 3, EXP: 4, LOG: 5, LOG1P: 6, EXPM1: 7, SIGMOID: 8, TANH: 9,
  RELU: 10, SOFTPLUS: 11, SIN: 12, COS: 13, SIGN: 14, RECIPROCAL: 15, POW_SCALAR: 16, CLAMP: 17,
  AFFINE: 18, CONJ: 19, ABS2: 20, ANGLE: 21,
} as const;
export const BIN = {
  ADD: 0, SUB: 1, MUL: 2, DIV: 3, POW: 4, MAXIMUM: 5, MINIMUM: 6, EQ: 7, NE: 8, LT: 9, LE: 10,
  GT: 11, GE: 12, COMPLEX: 13,
} as const;
export const RED = { SUM: 0, MEAN: 1, MAX: 2, MIN: 3, PROD: 4, LOGSUMEXP: 5, NORM: 6, ARGMAX: 7, ARGMIN: 8 } as const;
export const RNG = { UNIFORM: 0, NORMAL: 1, BERNOULLI: 2 } as const;

const packageRoot = path.join(__dirname, '..');

/**
 * `p` with each `app.asar` segment read as `app.asar.unpacked`. Inside an Electron archive the
 * JS sees the virtual `…/app.asar/…`, which native code (stat, dlopen) cannot; binaries unpacked
 * with electron-builder's `asarUnpack` lie at the same place under `app.asar.unpacked`.
 */
function unpackedPath(p: string): string {
  return p.split(path.sep).map((s) => (s === 'app.asar' ? 'app.asar.unpacked' : s)).join(path.sep);
}

function load(): { binding: NativeBinding; file: string } {
  // node-gyp-build picks build/Release, else a matching prebuild (PREBUILDS_ONLY=1: prebuilds only).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const gypBuild = require('node-gyp-build') as { (dir: string): NativeBinding; resolve(dir: string): string };
  // In Electron, the unpacked copy first: its real path is what the plugin lookup needs.
  const unpacked = unpackedPath(packageRoot);
  const roots = unpacked === packageRoot ? [packageRoot] : [unpacked, packageRoot];
  let lastError: unknown;
  for (const root of roots) {
    let file: string;
    try {
      file = gypBuild.resolve(root);
    } catch (e) {
      lastError = e;
      continue;
    }
    return { binding: gypBuild(root), file };
  }
  throw lastError;
}

/**
 * Where the addon looks for `libwavetape_<name>.so`, first match wins: WAVETAPE_PLUGIN_PATH, a
 * local build (build-cmake/Release, as node-gyp-build prefers build/ to prebuilds/), then the
 * addon's own directory (prebuilds/linux-x64/ in the package), each outside any Electron archive.
 */
function pluginDirs(addonFile: string): string[] {
  const fromEnv = (process.env.WAVETAPE_PLUGIN_PATH ?? '').split(path.delimiter).filter((d) => d.length > 0);
  return [...fromEnv, path.join(packageRoot, 'build-cmake', 'Release'), path.dirname(addonFile)].map(unpackedPath);
}

const loaded = load();
/** The binding of this environment. */
export const native: NativeBinding = loaded.binding;
/** Path of the addon file node-gyp-build loaded. */
export const addonPath: string = loaded.file;

native.init({
  errorClass: WavetapeError,
  pluginDirs: pluginDirs(loaded.file),
  simt: process.env.WAVETAPE_SIMT === '1',
});
