/**
 * wavetape: differentiable signal transforms and alignment for Node — tensors on cpu, cuda and
 * simt devices, elementwise and reduction ops, and a reverse-mode autograd tape.
 * @packageDocumentation
 */
export { WavetapeError, ErrorCode } from './errors';
export { Tensor, DType, TypedArray, NestedArray } from './tensor';
export { tidy, keep } from './engine';
export { devices, backends, getDevice, setDevice, numThreads, setNumThreads, sync } from './device';
export * from './creation';
export {
  add, sub, mul, div, pow, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual,
  neg, abs, square, sqrt, exp, log, log1p, expm1, sigmoid, tanh, relu, softplus, sin, cos, sign,
  reciprocal, clamp, affine, where,
} from './ops/elementwise';
export { sum, mean, max, min, prod, logsumexp, norm, argmax, argmin, ReduceOptions } from './ops/reduce';
export { grad, valueAndGrad, variable, Variable, gradients, stopGradient, defineGradient, differentiableOps, GradOptions, GradFn, GradContext } from './autograd';
export { memory, MemoryInfo } from './memory';
export * as testing from './testing';
