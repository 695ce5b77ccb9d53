/**
 * wt.nn: layers and models on the autograd tape — a Module base (parameters, train/eval, save and
 * load), Linear, Conv1d, activations, Sequential, Dropout, paper B's TransformDropout and demultiplexing.
 */
export { Module, type ParameterState } from './module';
export {
  Linear, Conv1d, ReLU, Tanh, Sigmoid, Softplus, GELU, LeakyReLU, Sequential, Dropout,
  type InitOptions, type LinearOptions, type Conv1dLayerOptions, type DropoutOptions,
} from './layers';
export {
  TransformDropout, type TransformDropoutOptions, type DropoutTransform, type DropoutShape, type LinearRateSchedule, type ControllerStep,
} from './transform_dropout';
export { Demux, competitiveMasks, crossSourcePenalty, applyMasks, type DemuxOptions, type DemuxTransform } from './demux';
