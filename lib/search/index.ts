/**
 * Searching paper A's categorical branches: a typed search space (choice, int, uniform,
 * logUniform, tagged unions), successive halving and Hyperband with trials in this thread or on
 * worker_threads (seeded, resumable from a JSON log), and early stopping on held-out losses.
 */
export {
  choice, int, uniform, logUniform, union, sample,
  type Space, type Dimension, type Config, type ChoiceDimension, type IntDimension, type UniformDimension,
  type LogUniformDimension, type UnionDimension, type SampleOptions,
} from './space';
export {
  successiveHalving, hyperband, earlyStopping,
  type SearchOptions, type SuccessiveHalvingOptions, type Evaluation, type Rung, type SearchResult,
  type EarlyStoppingOptions, type EarlyStopper,
} from './halving';
export type { TrialFunction, TrialModule, TrialContext, TrialResult } from './trials';
