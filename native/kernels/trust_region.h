// Trust-region step formulas shared by the CPU and CUDA schedules: the Cauchy-point row monoid
// (gᵀg and gᵀBg in one pass), the step and predicted reduction, scipy's radius rule, Adam and SGD.
#pragma once
#include <cmath>
#include "hd.h"

namespace wt {
namespace tr {

// One pass over a row accumulates both reductions the Cauchy point needs; combine is associative,
// so the CPU loop and a CUDA block reduction fold the row in any order.
template <class T> struct CauchyAcc {
  T gg;   // gᵀg
  T gbg;  // gᵀBg
};
template <class T> struct CauchyRowMonoid {
  using Acc = CauchyAcc<T>;
  WT_HD Acc init() const { return {T(0), T(0)}; }
  // Diagonal model: B = diag(d), so gᵀBg = Σ d·g².
  WT_HD Acc liftDiag(T g, T d) const { return {g * g, d * g * g}; }
  // General model: bg = (B·g)_i.
  WT_HD Acc liftVec(T g, T bg) const { return {g * g, g * bg}; }
  WT_HD Acc combine(Acc a, Acc b) const { return {a.gg + b.gg, a.gbg + b.gbg}; }
};

// What a row's reductions give: the step is coef·g; ‖g‖ = 0 gives coef 0, predicted 0, no NaN.
template <class T> struct CauchyRow {
  T coef;       // s = coef·g, coef = −τΔ/‖g‖
  T tau;        // 1 if gᵀBg ≤ 0, else min(‖g‖³/(Δ·gᵀBg), 1)
  T predicted;  // m(0) − m(s) = −(coef·gᵀg + ½coef²·gᵀBg)
  bool onBoundary;
};
template <class T> WT_HD CauchyRow<T> cauchyFinish(CauchyAcc<T> a, T delta) {
  const T gnorm = std::sqrt(a.gg);
  const T tau = a.gbg <= T(0) ? T(1) : fmin(a.gg * gnorm / (delta * a.gbg), T(1));
  if (!(gnorm > T(0))) return {T(0), tau, T(0), false};
  const T coef = -tau * delta / gnorm;
  return {coef, tau, -(coef * a.gg + T(0.5) * coef * coef * a.gbg), tau >= T(1)};
}

// scipy's rule (strict comparisons); a predicted reduction ≤ 0 or a non-finite actual one rejects and shrinks.
struct RadiusRule {
  double eta1, eta2, gamma1, gamma2, deltaMax, deltaMin, eta;
};
template <class T> struct RadiusOut {
  T delta;
  T rho;
  bool accept;
};
template <class T> WT_HD RadiusOut<T> updateRadius(T actual, T predicted, T delta, bool onBoundary, const RadiusRule& r) {
  const T rho = actual / predicted;
  const bool good = predicted > T(0) && (actual - actual) == T(0);
  T next = delta;
  if (!good || rho < T(r.eta1)) next = T(r.gamma1) * delta;
  else if (rho > T(r.eta2) && onBoundary) next = fmin(T(r.gamma2) * delta, T(r.deltaMax));
  next = fmin(fmax(next, T(r.deltaMin)), T(r.deltaMax));
  return {next, rho, good && rho > T(r.eta)};
}

// PyTorch's Adam for one element at step t; bias corrections are per step, computed once by the caller.
struct AdamStep {
  double lr, beta1, beta2, eps, weightDecay;
  double bc1;      // 1 − β1ᵗ
  double bc2Sqrt;  // √(1 − β2ᵗ)
  bool decoupled;  // AdamW
};
template <class T> WT_HD void adamElement(T& theta, T g, T& m, T& v, const AdamStep& s) {
  if (s.weightDecay != 0) {
    if (s.decoupled) theta *= T(1 - s.lr * s.weightDecay);
    else g += T(s.weightDecay) * theta;
  }
  m += (g - m) * T(1 - s.beta1);
  v = v * T(s.beta2) + T(1 - s.beta2) * g * g;
  const T denom = std::sqrt(v) / T(s.bc2Sqrt) + T(s.eps);
  theta -= T(s.lr / s.bc1) * m / denom;
}

// PyTorch's SGD for one element; `first` is the step that initialises the momentum buffer.
struct SgdStep {
  double lr, momentum, dampening, weightDecay;
  bool nesterov, first;
};
template <class T> WT_HD void sgdElement(T& theta, T g, T& buf, const SgdStep& s) {
  if (s.weightDecay != 0) g += T(s.weightDecay) * theta;
  if (s.momentum != 0) {
    buf = s.first ? g : T(s.momentum) * buf + T(1 - s.dampening) * g;
    g = s.nesterov ? g + T(s.momentum) * buf : buf;
  }
  theta -= T(s.lr) * g;
}

}  // namespace tr
}  // namespace wt
