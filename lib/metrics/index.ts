/**
 * Evaluation metrics of the papers' pipelines, on plain numbers (Tensors, arrays or typed
 * arrays): reconstruction (SNR, MSE), pair classification (accuracy, ROC/AUC, precision/recall/F1,
 * calibration) and event detection. They return JS numbers; nothing here is differentiable.
 */
export { mse, snr } from './regression';
export {
  pairAccuracy, rocCurve, rocAuc, precisionRecallF1, brierScore, expectedCalibrationError,
  type ThresholdOptions, type RocCurve, type PrecisionRecall, type CalibrationOptions,
} from './classification';
export { eventDetection, type EventDetectionOptions, type EventDetectionResult } from './events';
export type { NumberList } from './values';
export {
  siSdr, bssEval, crossSourceLeakage, transformDomainSir, trustRegionFraction, type BssEvalResult, type TrustStep,
} from './separation';
