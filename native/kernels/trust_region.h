// Trust-region step formulas shared by the CPU and CUDA schedules: the Cauchy-point row monoid
// (gᵀg and gᵀBg in one pass), the step and predicted reduction, scipy's radius rule, Adam and SGD.
#pragma once
#include <cmath>
#include "../abi/plugin_abi.h"
#include "hd.h"

namespace wt {
namespace tr {

// One pass over a row accumulates both reductions the Cauchy point needs; combine is associative,
// so the CPU loop and a CUDA block reduction fold the row in any order. A is the accumulator type:
// double for float32 and float64 rows alike (a float32 row of any length then loses nothing to
// its reduction beyond the final rounding of the step).
template <class A> struct CauchyAcc {
  A gg;   // gᵀg
  A gbg;  // gᵀBg
};
template <class A> struct CauchyRowMonoid {
  using Acc = CauchyAcc<A>;
  WT_HD Acc init() const { return {A(0), A(0)}; }
  // Diagonal model: B = diag(d), so gᵀBg = Σ d·g².
  WT_HD Acc liftDiag(A g, A d) const { return {g * g, d * g * g}; }
  // General model: bg = (B·g)_i.
  WT_HD Acc liftVec(A g, A bg) const { return {g * g, g * bg}; }
  WT_HD Acc lift(A g, A model, bool diagonal) const { return diagonal ? liftDiag(g, model) : liftVec(g, model); }
  WT_HD Acc combine(Acc a, Acc b) const { return {a.gg + b.gg, a.gbg + b.gbg}; }
};

// A trust radius the kernels accept: finite and > 0. The kernels check it themselves (the CPU one
// fails the op, the CUDA ones raise the device's range flag), so the facade never reads Δ back.
template <class T> WT_HD bool validRadius(T delta) { return delta > T(0) && (delta - delta) == T(0); }

// What a row's reductions give: the step is coef·g; ‖g‖ = 0 gives coef 0, predicted 0, no NaN.
template <class A> struct CauchyRow {
  A coef;       // s = coef·g, coef = −τΔ/‖g‖
  A tau;        // 1 if gᵀBg ≤ 0, else min(‖g‖³/(Δ·gᵀBg), 1)
  A predicted;  // m(0) − m(s) = −(coef·gᵀg + ½coef²·gᵀBg)
  bool onBoundary;
};
template <class A> WT_HD CauchyRow<A> cauchyFinish(CauchyAcc<A> a, A delta) {
  const A gnorm = std::sqrt(a.gg);
  const A tau = a.gbg <= A(0) ? A(1) : fmin(a.gg * gnorm / (delta * a.gbg), A(1));
  if (!(gnorm > A(0))) return {A(0), tau, A(0), false};
  const A coef = -tau * delta / gnorm;
  return {coef, tau, -(coef * a.gg + A(0.5) * coef * coef * a.gbg), tau >= A(1)};
}

// scipy's rule (strict comparisons); a predicted reduction ≤ 0 or a non-finite actual one rejects and shrinks.
template <class T> struct RadiusOut {
  T delta;
  T rho;
  bool accept;
};
template <class T>
WT_HD RadiusOut<T> updateRadius(T actual, T predicted, T delta, bool onBoundary, const wt_radius_params& r) {
  const T rho = actual / predicted;
  const bool good = predicted > T(0) && (actual - actual) == T(0);
  // Plain comparisons, not fmin/fmax (a libm call per element on x86-64-v2): every operand is
  // finite here (the constants checked by core, Δ by validRadius), where the two agree.
  const T lo = T(r.delta_min), hi = T(r.delta_max);
  T next = delta;
  if (!good || rho < T(r.eta1)) next = T(r.gamma1) * delta;
  else if (rho > T(r.eta2) && onBoundary) next = T(r.gamma2) * delta;
  next = next < lo ? lo : next;
  next = next > hi ? hi : next;
  return {next, rho, good && rho > T(r.eta)};
}

// PyTorch's Adam for one element at step t; the bias corrections are per step, computed once by the caller.
// The step's constants in T, computed once per launch (the same values the formulas round to).
template <class T> struct AdamConsts {
  T decay, l2, oneMinusBeta1, beta2, oneMinusBeta2, bc2Sqrt, eps, stepSize;
  bool decoupled, l2On;
  WT_HD explicit AdamConsts(const wt_adam_params& s)
      : decay(T(s.weight_decay != 0 && s.decoupled ? 1 - s.lr * s.weight_decay : 1)),
        l2(T(s.weight_decay != 0 && !s.decoupled ? s.weight_decay : 0)),
        oneMinusBeta1(T(1 - s.beta1)), beta2(T(s.beta2)), oneMinusBeta2(T(1 - s.beta2)), bc2Sqrt(T(s.bc2_sqrt)),
        eps(T(s.eps)), stepSize(T(s.lr / s.bc1)), decoupled(s.weight_decay != 0 && s.decoupled),
        l2On(s.weight_decay != 0 && !s.decoupled) {}
};
template <class T> WT_HD void adamElement(T& theta, T g, T& m, T& v, const AdamConsts<T>& c) {
  // Loop-invariant branches: the compiler unswitches them out of the element loop.
  if (c.decoupled) theta *= c.decay;
  if (c.l2On) g += c.l2 * theta;
  m += (g - m) * c.oneMinusBeta1;
  v = v * c.beta2 + c.oneMinusBeta2 * g * g;
  const T denom = std::sqrt(v) / c.bc2Sqrt + c.eps;
  theta -= c.stepSize * m / denom;
}

// PyTorch's SGD for one element; `first` is the step that initialises the momentum buffer.
template <class T> WT_HD void sgdElement(T& theta, T g, T& buf, const wt_sgd_params& s) {
  if (s.weight_decay != 0) g += T(s.weight_decay) * theta;
  if (s.momentum != 0) {
    buf = s.first ? g : T(s.momentum) * buf + T(1 - s.dampening) * g;
    g = s.nesterov ? g + T(s.momentum) * buf : buf;
  }
  theta -= T(s.lr) * g;
}

}  // namespace tr
}  // namespace wt
