/**
 * wt.optim: trust-region minimisation (one problem or B at once), first-order optimisers over
 * variables with learning-rate schedules, and the trust-region dropout controller of paper B.
 */
export { minimize, minimizeBatched, STATUS_MESSAGES, type MinimizeOptions, type MinimizeResult, type BatchedMinimizeResult, type TrustMethod } from './minimize';
export { Adam, SGD, type AdamOptions, type SgdOptions, type OptimizerState } from './first_order';
export { stepLR, cosineLR, linearWarmup, type Schedule } from './schedules';
export { TrustRegionDropout, type TrustRegionDropoutOptions, type TrustRegionDropoutState, type DropoutHistoryEntry } from './tr_dropout';
