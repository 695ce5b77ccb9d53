/**
 * Dense quasi-Newton Hessian approximations for the trust-region model, with scipy's
 * `HessianUpdateStrategy` formulas: BFGS (skip when yᵀs ≤ 1e-8·sᵀBs) and SR1 (skip when the
 * denominator is tiny), both starting from the scaled identity (‖y‖²/|yᵀs|)·I of N&W eq. 6.20.
 * Internal: not part of the public API (the package index does not export it).
 */
import { dot, matvec, norm2 } from './dense';

export class QuasiNewtonHessian {
  readonly b: Float64Array;
  private first = true;
  constructor(
    readonly kind: 'bfgs' | 'sr1',
    readonly n: number,
  ) {
    this.b = new Float64Array(n * n);
    for (let i = 0; i < n; i++) this.b[i * n + i] = 1;
  }

  private autoScale(s: Float64Array, y: Float64Array): number {
    const ss = dot(s, s);
    const yy = dot(y, y);
    const ys = Math.abs(dot(y, s));
    return ys === 0 || yy === 0 || ss === 0 ? 1 : yy / ys;
  }

  private reset(c: number): void {
    this.b.fill(0);
    for (let i = 0; i < this.n; i++) this.b[i * this.n + i] = c;
  }

  /** Rank-one update B += c·v·vᵀ. */
  private syr(c: number, v: Float64Array): void {
    const n = this.n;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) this.b[i * n + j] += c * v[i] * v[j];
  }

  /** Updates B with a step s = x₊ − x and gradient change y = g₊ − g. */
  update(s: Float64Array, y: Float64Array): void {
    if (s.every((v) => v === 0) || y.every((v) => v === 0)) return;
    if (this.first) {
      const c = this.autoScale(s, y);
      for (let i = 0; i < this.b.length; i++) this.b[i] *= c;
      this.first = false;
    }
    if (this.kind === 'bfgs') {
      let bs = matvec(this.b, s);
      let sbs = dot(s, bs);
      // Round-off can make B indefinite; scipy restarts from the scaled identity.
      if (sbs <= 0) {
        this.reset(this.autoScale(s, y));
        bs = matvec(this.b, s);
        sbs = dot(s, bs);
      }
      const ys = dot(y, s);
      if (ys <= 1e-8 * sbs) return;
      this.syr(1 / ys, y);
      this.syr(-1 / sbs, bs);
      return;
    }
    const bs = matvec(this.b, s);
    const r = Float64Array.from(y, (v, i) => v - bs[i]);
    const den = dot(s, r);
    if (Math.abs(den) <= 1e-8 * norm2(s) * norm2(r)) return;
    this.syr(1 / den, r);
  }
}
