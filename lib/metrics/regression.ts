/**
 * Reconstruction metrics against a ground truth: mean squared error and the signal-to-noise
 * ratio in decibels.
 */
import { publicOp } from '../engine';
import { NumberList, valuesArg, sameLength } from './values';

/** Mean of (estimate − reference)² over all entries (flattened). */
export const mse = publicOp('mse', function mse(reference: NumberList, estimate: NumberList): number {
  const r = valuesArg('mse', 'reference', reference);
  const e = valuesArg('mse', 'estimate', estimate);
  sameLength('mse', 'reference', 'estimate', r, e);
  let total = 0;
  for (let i = 0; i < r.length; i++) total += (e[i] - r[i]) ** 2;
  return total / r.length;
});

/**
 * The signal-to-noise ratio of an estimate against the reference, in dB:
 * 10·log10(Σ reference² / Σ (reference − estimate)²). +Infinity for an exact estimate; −Infinity
 * for a zero reference with an inexact estimate.
 */
export const snr = publicOp('snr', function snr(reference: NumberList, estimate: NumberList): number {
  const r = valuesArg('snr', 'reference', reference);
  const e = valuesArg('snr', 'estimate', estimate);
  sameLength('snr', 'reference', 'estimate', r, e);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < r.length; i++) {
    signal += r[i] * r[i];
    noise += (r[i] - e[i]) ** 2;
  }
  if (noise === 0) return signal === 0 ? 0 : Infinity;
  return 10 * Math.log10(signal / noise);
});
