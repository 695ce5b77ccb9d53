/**
 * Event detection scored against ground-truth event times: a one-to-one matching within a
 * tolerance window, precision, recall, F1 and the localisation error of the matched events.
 */
import { publicOp } from '../engine';
import { fail } from '../errors';
import { optionsArg, finiteArg } from '../validate';
import { NumberList, valuesArg } from './values';

/** Options of {@link eventDetection}. */
export interface EventDetectionOptions {
  /** A detection matches a true event when |t_detected − t_true| ≤ tolerance (required, ≥ 0). */
  tolerance: number;
}

/** The outcome of {@link eventDetection}. */
export interface EventDetectionResult {
  precision: number;
  recall: number;
  f1: number;
  /** Matched (true positive) events. */
  matched: number;
  /** Mean |t_detected − t_true| over the matched pairs (NaN when none matched). */
  localisationError: number;
  /** The matched pairs as [index into detected, index into truth] (indices into the inputs as given). */
  pairs: [number, number][];
}

/**
 * Scores detected event times against the true ones: the largest one-to-one matching in which
 * each pair is within `tolerance` (found greedily over both lists sorted by time, which is
 * optimal for equal windows on a line, as mir_eval's onset matching counts it), then precision =
 * matched/detected, recall = matched/true, F1, and the mean absolute localisation error of
 * the matched pairs. With no detections precision is 0; with no true events recall is 0.
 */
export const eventDetection = publicOp('eventDetection', function eventDetection(detected: NumberList, truth: NumberList, opts: EventDetectionOptions): EventDetectionResult {
  const d = valuesArg('eventDetection', 'detected', detected, { allowEmpty: true });
  const t = valuesArg('eventDetection', 'truth', truth, { allowEmpty: true });
  const o = optionsArg('eventDetection', 3, opts, ['tolerance']);
  if (o.tolerance === undefined) fail('E_RANGE', "eventDetection: option 'tolerance' is required (the matching window, >= 0)");
  const tol = finiteArg('eventDetection', 'tolerance', o.tolerance);
  if (tol < 0) fail('E_RANGE', `eventDetection: argument 'tolerance' = ${tol}; expected a window >= 0`);
  const di = Array.from(d.keys()).sort((i, j) => d[i] - d[j]);
  const ti = Array.from(t.keys()).sort((i, j) => t[i] - t[j]);
  const pairs: [number, number][] = [];
  let errorSum = 0;
  // Each true event (in time order) takes the earliest unmatched detection inside its window.
  let k = 0;
  for (const j of ti) {
    while (k < di.length && d[di[k]] < t[j] - tol) k++;
    if (k < di.length && d[di[k]] <= t[j] + tol) {
      pairs.push([di[k], j]);
      errorSum += Math.abs(d[di[k]] - t[j]);
      k++;
    }
  }
  const matched = pairs.length;
  const precision = d.length === 0 ? 0 : matched / d.length;
  const recall = t.length === 0 ? 0 : matched / t.length;
  const f1 = matched === 0 ? 0 : (2 * matched) / (d.length + t.length);
  return { precision, recall, f1, matched, localisationError: matched === 0 ? NaN : errorSum / matched, pairs };
});
