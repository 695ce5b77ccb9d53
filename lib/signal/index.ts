/**
 * Signal-analysis building blocks of the papers' pipelines, made of differentiable wavetape ops:
 * the overlap-normalised lag correlation and its soft maximum over lags (paper A), and PCA.
 */
export { lagCorrelation, softLagCorrelation, type LagCorrelationOptions, type SoftLagCorrelationOptions } from './lag';
export { pca, type PcaOptions, type PcaResult } from './pca';
