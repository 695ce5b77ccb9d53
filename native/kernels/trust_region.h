// Trust-region step formulas shared by the CPU and CUDA schedules: the Cauchy-point row monoid
// (gᵀg and gᵀBg in one pass), the step and predicted reduction, scipy's radius rule, Adam and SGD.
#pragma once
#include <cmath>
#include "../abi/plugin_abi.h"
#include "hd.h"
#include "scalar_math.h"

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
  const A gnorm = m::sqrt(a.gg);
  const A tau = a.gbg <= A(0) ? A(1) : fmin(a.gg * gnorm / (delta * a.gbg), A(1));
  if (!(gnorm > A(0))) return {A(0), tau, A(0), false};
  const A coef = -tau * delta / gnorm;
  return {coef, tau, -(coef * a.gg + A(0.5) * coef * coef * a.gbg), tau >= A(1)};
}

// scipy's rule (strict comparisons); a predicted reduction ≤ 0 or a non-finite actual one rejects and shrinks.
// accept is 1 or 0 in T (a bool member kept the struct in memory and the CPU loop scalar).
template <class T> struct RadiusOut {
  T delta;
  T rho;
  T accept;
};
// The rule's constants in T, once per launch.
template <class T> struct RadiusConsts {
  T eta, eta1, eta2, gamma1, gamma2, lo, hi;
  WT_HD explicit RadiusConsts(const wt_radius_params& r)
      : eta(T(r.eta)), eta1(T(r.eta1)), eta2(T(r.eta2)), gamma1(T(r.gamma1)), gamma2(T(r.gamma2)), lo(T(r.delta_min)),
        hi(T(r.delta_max)) {}
};
template <class T>
WT_HD RadiusOut<T> updateRadius(T actual, T predicted, T delta, bool onBoundary, const RadiusConsts<T>& c) {
  const T rho = actual / predicted;
  // Non-short-circuit & and |, and selects: no branch per element, so a CPU loop vectorises and a
  // warp never diverges. Plain comparisons, not fmin/fmax (a libm call per element on x86-64-v2):
  // every operand is finite here (the constants checked by core, Δ by validRadius), where the two agree.
  const bool good = (predicted > T(0)) & ((actual - actual) == T(0));
  const bool shrink = !good | (rho < c.eta1);
  const bool grow = !shrink & (rho > c.eta2) & onBoundary;
  T next = shrink ? c.gamma1 * delta : grow ? c.gamma2 * delta : delta;
  next = next < c.lo ? c.lo : next;
  next = next > c.hi ? c.hi : next;
  return {next, rho, good & (rho > c.eta) ? T(1) : T(0)};
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
  // m::sqrt, not std::sqrt: the float overload of <cmath> is not inlined into the AVX2 unit
  // (defined before its target pragma), which kept Adam scalar there.
  const T denom = m::sqrt(v) / c.bc2Sqrt + c.eps;
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
