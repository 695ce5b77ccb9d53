// Reduction monoids behind WT_OP_REDUCE: identity, combine, finalize — one definition used by the
// CPU loops and the CUDA block-reduction template alike.
#pragma once
#include "../abi/plugin_abi.h"
#include "complex.h"
#include "scalar_math.h"

namespace wt {
namespace red {

template <class T> WT_HD T infinity() { return T(1e300) * T(1e300); }

template <class T> struct Sum {
  using Acc = T;
  WT_HD Acc init() const { return T(0); }
  WT_HD Acc lift(T x, int64_t) const { return x; }
  WT_HD Acc combine(Acc a, Acc b) const { return a + b; }
  WT_HD T finish(Acc a, int64_t) const { return a; }
};
template <class T> struct CSum {
  using Acc = cplx<T>;
  WT_HD Acc init() const { return {T(0), T(0)}; }
  WT_HD Acc lift(cplx<T> x, int64_t) const { return x; }
  WT_HD Acc combine(Acc a, Acc b) const { return a + b; }
  WT_HD cplx<T> finish(Acc a, int64_t) const { return a; }
};
template <class T> struct Mean : Sum<T> {
  WT_HD T finish(T a, int64_t n) const { return a / T(n); }
};
template <class T> struct CMean : CSum<T> {
  WT_HD cplx<T> finish(cplx<T> a, int64_t n) const { return a * (T(1) / T(n)); }
};
template <class T> struct Prod {
  using Acc = T;
  WT_HD Acc init() const { return T(1); }
  WT_HD Acc lift(T x, int64_t) const { return x; }
  WT_HD Acc combine(Acc a, Acc b) const { return a * b; }
  WT_HD T finish(Acc a, int64_t) const { return a; }
};
// NaN wins, like numpy.max.
template <class T> struct Max {
  using Acc = T;
  WT_HD Acc init() const { return -infinity<T>(); }
  WT_HD Acc lift(T x, int64_t) const { return x; }
  WT_HD Acc combine(Acc a, Acc b) const { return (a != a || a > b) ? a : b; }
  WT_HD T finish(Acc a, int64_t) const { return a; }
};
template <class T> struct Min {
  using Acc = T;
  WT_HD Acc init() const { return infinity<T>(); }
  WT_HD Acc lift(T x, int64_t) const { return x; }
  WT_HD Acc combine(Acc a, Acc b) const { return (a != a || a < b) ? a : b; }
  WT_HD T finish(Acc a, int64_t) const { return a; }
};
// L2 norm with a running scale (LAPACK's dnrm2 idea) so squares neither overflow nor underflow.
template <class T> struct Norm {
  struct Acc { T scale, ssq; };
  WT_HD Acc init() const { return {T(0), T(1)}; }
  WT_HD Acc lift(T x, int64_t) const { return {m::fabs(x), T(1)}; }
  WT_HD Acc combine(Acc a, Acc b) const {
    if (a.scale != a.scale || b.scale != b.scale) return {a.scale + b.scale, T(1)};
    if (a.scale < b.scale) { Acc t = a; a = b; b = t; }
    if (a.scale == T(0)) return a;
    T r = b.scale / a.scale;
    return {a.scale, a.ssq + b.ssq * r * r};
  }
  WT_HD T finish(Acc a, int64_t) const { return a.scale * m::sqrt(a.ssq); }
};
// Online log-sum-exp: (running max, sum of exp(x - max)).
template <class T> struct LogSumExp {
  struct Acc { T mx, s; };
  WT_HD Acc init() const { return {-infinity<T>(), T(0)}; }
  WT_HD Acc lift(T x, int64_t) const { return {x, T(1)}; }
  WT_HD Acc combine(Acc a, Acc b) const {
    if (a.mx != a.mx || b.mx != b.mx) return {a.mx + b.mx, T(1)};
    if (a.mx < b.mx) { Acc t = a; a = b; b = t; }
    if (b.mx == -infinity<T>()) return a;  // also covers both empty
    if (a.mx == infinity<T>()) return {a.mx, T(1)};
    return {a.mx, a.s + b.s * m::exp(b.mx - a.mx)};
  }
  WT_HD T finish(Acc a, int64_t) const {
    if (a.mx == -infinity<T>() || a.mx == infinity<T>() || a.mx != a.mx) return a.mx;
    return a.mx + m::log(a.s);
  }
};
// Arg-extremum: ties and NaN resolve to the smallest index.
template <class T, bool IsMax> struct ArgExt {
  struct Acc { T v; int64_t i; };
  WT_HD Acc init() const { return {IsMax ? -infinity<T>() : infinity<T>(), -1}; }
  WT_HD Acc lift(T x, int64_t i) const { return {x, i}; }
  WT_HD Acc combine(Acc a, Acc b) const {
    if (a.i < 0) return b;
    if (b.i < 0) return a;
    bool an = a.v != a.v, bn = b.v != b.v;
    if (an || bn) {
      if (an && bn) return a.i < b.i ? a : b;
      return an ? a : b;
    }
    bool better = IsMax ? (b.v > a.v) : (b.v < a.v);
    if (better || (b.v == a.v && b.i < a.i)) return b;
    return a;
  }
  WT_HD int32_t finish(Acc a, int64_t) const { return (int32_t)(a.i < 0 ? 0 : a.i); }
};

// visit(monoid) for a real-input reduce code.
WT_FORWARDS_TO_CALLABLE
template <class T, class V>
WT_HD bool visitReal(int code, V&& visit) {
  switch (code) {
    case WT_RED_SUM: visit(Sum<T>{}); return true;
    case WT_RED_MEAN: visit(Mean<T>{}); return true;
    case WT_RED_MAX: visit(Max<T>{}); return true;
    case WT_RED_MIN: visit(Min<T>{}); return true;
    case WT_RED_PROD: visit(Prod<T>{}); return true;
    case WT_RED_LOGSUMEXP: visit(LogSumExp<T>{}); return true;
    case WT_RED_NORM: visit(Norm<T>{}); return true;
    case WT_RED_ARGMAX: visit(ArgExt<T, true>{}); return true;
    case WT_RED_ARGMIN: visit(ArgExt<T, false>{}); return true;
    default: return false;
  }
}
WT_FORWARDS_TO_CALLABLE
template <class T, class V>
WT_HD bool visitComplex(int code, V&& visit) {
  switch (code) {
    case WT_RED_SUM: visit(CSum<T>{}); return true;
    case WT_RED_MEAN: visit(CMean<T>{}); return true;
    default: return false;
  }
}

}  // namespace red
}  // namespace wt
