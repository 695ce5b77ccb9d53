/**
 * wavetape: differentiable signal transforms and alignment for Node — tensors on cpu, cuda and
 * simt devices, elementwise and reduction ops, and a reverse-mode autograd tape.
 * @packageDocumentation
 */
export { WavetapeError, ERROR_CODES, type ErrorCode } from './errors';
export { Tensor, type DType, type TypedArray, type NestedArray } from './tensor';
export { tidy, keep } from './engine';
export { devices, backends, getDevice, setDevice, numThreads, setNumThreads, sync } from './device';
export * from './creation';
export {
  add, sub, mul, div, pow, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual,
  neg, abs, square, sqrt, exp, log, log1p, expm1, sigmoid, tanh, relu, softplus, sin, cos, sign,
  reciprocal, clamp, affine, where,
} from './ops/elementwise';
export { sum, mean, max, min, prod, logsumexp, norm, argmax, argmin, type ReduceOptions, type ArgReduceOptions } from './ops/reduce';
export {
  reshape, expandDims, squeeze, flatten, transpose, permute, swapAxes, broadcastTo, slice, sliceAxes, flip,
  concat, stack, pad, roll, gather, scatterAdd, cast, to, contiguous, type SliceSpec,
} from './ops/layout';
export { real, imag, complex, conj, abs2, angle } from './ops/complex';
export { matmul } from './ops/linalg';
export { rfft, irfft, fft, ifft, xcorr, type FftOptions, type FftNorm, type XcorrOptions } from './ops/fft';
export {
  grad, valueAndGrad, variable, Variable, gradients, stopGradient, defineGradient, differentiableOps,
  type GradOptions, type GradFn, type MultiOutputGradFn, type GradContext, type GradientSpec, type MultiOutputGradientSpec,
  type SaveSpec, type TensorInfo,
} from './autograd';
export { hvp, type HvpOptions } from './hvp';
export { memory, releaseCache, type MemoryInfo, type MemoryUsage } from './memory';
export * as optim from './optim';
export * as tr from './ops/trust_region';
export * as testing from './testing';
export type { TensorLike } from './ops/util';
// ---- issue 14 building blocks (h-sig): signal, losses, metrics, search, gumbelSoftmax
export * as signal from './signal';
export * as losses from './losses';
export * as metrics from './metrics';
export * as search from './search';
export { gumbelSoftmax, type GumbelSoftmaxOptions } from './ops/gumbel';
// wavelets (issue 11): pywt's transforms, length helpers, wavelet descriptions and learnable lifting
export {
  dwt, idwt, wavedec, waverec, swt, iswt, dwt2, idwt2, wavedec2, waverec2, dwtMaxLevel, dwtCoeffLength, wavelet, waveletNames, liftingScheme,
  type WaveletMode, type Wavelet, type WaveletInfo, type LearnableLiftingScheme, type LearnableLiftingStep, type LiftingSchemeSpec, type LiftingSchemeOptions, type WaveletAlignment,
  type DwtOptions, type IdwtOptions, type WavedecOptions, type WaverecOptions, type SwtOptions, type IswtOptions,
  type Dwt2Options, type Idwt2Options, type Wavedec2Options, type Waverec2Options,
} from './ops/wavelet';
// soft-DTW family (issue 12): soft-DTW values, pairwise matrices, pair lists, divergence, alignments, hard DTW and paths
export {
  softDtw, softDtwPairwise, softDtwPairs, softDtwFromCost, softDtwAlignment, dtw, dtwPath,
  type SoftDtwOptions, type SoftDtwCostOptions, type DtwOptions,
} from './ops/sdtw';
// ---- nn family (issue 14: layers, transform dropout, demultiplexing, dct, conv1d, linalg) ----
export { dct, idct, type DctOptions, type DctNorm } from './ops/dct';
export { conv1d, type Conv1dOptions } from './ops/conv1d';
export * as nn from './nn';
export * as linalg from './linalg';
