/**
 * Learning-rate schedules as plain functions of the step index (0 for the first optimiser step),
 * with PyTorch's closed forms: StepLR, CosineAnnealingLR and LinearLR used as a warm-up.
 */
import { fail } from '../errors';
import { finiteArg, intArg, optionsArg, fnArg, describe } from '../validate';

/** The learning rate at optimiser step `t` (0-based). */
export type Schedule = (t: number) => number;

function baseArg(op: string, v: unknown): Schedule {
  if (typeof v === 'function') return fnArg<Schedule>(op, 'base', v);
  const lr = finiteArg(op, 'base', v);
  if (lr < 0) fail('E_RANGE', `${op}: argument 'base' = ${lr}; expected a learning rate >= 0 or a schedule`);
  return () => lr;
}

function stepIndex(op: string, t: unknown): number {
  return intArg(op, 't', t, 0);
}

/** The value of `s` at t, checked: a finite rate ≥ 0. */
export function rateAt(op: string, s: Schedule, t: number): number {
  const lr = s(t);
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0)
    fail('E_RANGE', `${op}: the learning-rate schedule gave ${describe(lr)} at step ${t}; expected a finite rate >= 0`);
  return lr;
}

/** lr(t) = base·γ^⌊t / stepSize⌋ (PyTorch's StepLR; γ default 0.1). */
export function stepLR(base: number, options: { stepSize: number; gamma?: number }): Schedule {
  const op = 'optim.stepLR';
  const lr = baseArg(op, base);
  const o = optionsArg(op, 2, options, ['stepSize', 'gamma']);
  const stepSize = intArg(op, 'stepSize', o.stepSize, 1);
  const gamma = o.gamma === undefined ? 0.1 : finiteArg(op, 'gamma', o.gamma);
  if (gamma < 0) fail('E_RANGE', `${op}: argument 'gamma' = ${gamma}; expected a factor >= 0`);
  return (t: number) => rateAt(op, lr, stepIndex(op, t)) * gamma ** Math.floor(t / stepSize);
}

/**
 * lr(t) = ηmin + (base − ηmin)·(1 + cos(π·t/tMax))/2 for t ≤ tMax, ηmin after (PyTorch's
 * CosineAnnealingLR closed form, without restarts).
 */
export function cosineLR(base: number, options: { tMax: number; etaMin?: number }): Schedule {
  const op = 'optim.cosineLR';
  const lr = baseArg(op, base);
  const o = optionsArg(op, 2, options, ['tMax', 'etaMin']);
  const tMax = intArg(op, 'tMax', o.tMax, 1);
  const etaMin = o.etaMin === undefined ? 0 : finiteArg(op, 'etaMin', o.etaMin);
  if (etaMin < 0) fail('E_RANGE', `${op}: argument 'etaMin' = ${etaMin}; expected a rate >= 0`);
  return (t: number) => {
    const b = rateAt(op, lr, stepIndex(op, t));
    return t >= tMax ? etaMin : etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;
  };
}

/**
 * A linear warm-up in front of `base` (a rate or another schedule): lr(t) = base(t)·f(t) with f
 * going linearly from `startFactor` (default 1/3) at t = 0 to 1 at t = `steps` (PyTorch's LinearLR).
 */
export function linearWarmup(base: number | Schedule, options: { steps: number; startFactor?: number }): Schedule {
  const op = 'optim.linearWarmup';
  const lr = baseArg(op, base);
  const o = optionsArg(op, 2, options, ['steps', 'startFactor']);
  const steps = intArg(op, 'steps', o.steps, 1);
  const start = o.startFactor === undefined ? 1 / 3 : finiteArg(op, 'startFactor', o.startFactor);
  if (!(start > 0 && start <= 1)) fail('E_RANGE', `${op}: argument 'startFactor' = ${start}; expected 0 < startFactor <= 1`);
  return (t: number) => rateAt(op, lr, stepIndex(op, t)) * (start + ((1 - start) * Math.min(t, steps)) / steps);
}
