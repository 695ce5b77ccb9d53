/**
 * The constants of the trust-region radius rule (η1, η2, γ1, γ2, Δmin, Δmax, η), checked once for
 * wt.tr.updateRadius and the dropout controller. Internal: not part of the public API.
 */
import { fail } from '../errors';
import { optionsArg, finiteArg } from '../validate';

/** Options of {@link updateRadius} (defaults: scipy's and Nocedal & Wright's). */
export interface RadiusOptions {
  /** Shrink below (default 0.25). */
  eta1?: number;
  /** Expand above, on the boundary (default 0.75); eta1 ≤ eta2. */
  eta2?: number;
  /** Shrink factor in (0, 1) (default 0.25). */
  gamma1?: number;
  /** Expansion factor > 1 (default 2). */
  gamma2?: number;
  /** Largest radius (default 1000). */
  deltaMax?: number;
  /** Smallest radius (default 0). */
  deltaMin?: number;
  /** Accept when ρ > eta (default 0.15). */
  eta?: number;
}

/** The checked radius-rule constants: defaults, then `dflt`, then the caller's options. */
export function radiusRule(op: string, options: unknown, position: number, dflt: Partial<Record<keyof RadiusOptions, number>> = {}): Required<RadiusOptions> {
  const o = optionsArg(op, position, options, ['eta1', 'eta2', 'gamma1', 'gamma2', 'deltaMax', 'deltaMin', 'eta']);
  const base: Required<RadiusOptions> = { eta1: 0.25, eta2: 0.75, gamma1: 0.25, gamma2: 2, deltaMax: 1000, deltaMin: 0, eta: 0.15, ...dflt };
  const r = { ...base };
  for (const k of Object.keys(base) as (keyof RadiusOptions)[]) if (o[k] !== undefined) r[k] = finiteArg(op, k, o[k]);
  if (r.eta1 > r.eta2) fail('E_RANGE', `${op}: 'eta1' = ${r.eta1} exceeds 'eta2' = ${r.eta2}; expected eta1 <= eta2`);
  if (!(r.gamma1 > 0 && r.gamma1 < 1)) fail('E_RANGE', `${op}: argument 'gamma1' = ${r.gamma1}; expected a shrink factor 0 < gamma1 < 1`);
  if (!(r.gamma2 > 1)) fail('E_RANGE', `${op}: argument 'gamma2' = ${r.gamma2}; expected an expansion factor > 1`);
  if (!(r.deltaMax > 0)) fail('E_RANGE', `${op}: argument 'deltaMax' = ${r.deltaMax}; expected a radius > 0`);
  if (!(r.deltaMin >= 0 && r.deltaMin <= r.deltaMax)) fail('E_RANGE', `${op}: argument 'deltaMin' = ${r.deltaMin}; expected 0 <= deltaMin <= deltaMax (${r.deltaMax})`);
  if (!(r.eta >= 0)) fail('E_RANGE', `${op}: argument 'eta' = ${r.eta}; expected an acceptance threshold >= 0`);
  return r;
}

