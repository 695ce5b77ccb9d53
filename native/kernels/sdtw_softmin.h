// The soft-DTW cell update shared by every backend: soft-min of the three predecessors by
// log-sum-exp with a max shift, its softmax weights (the transition probabilities the backward reads).
#pragma once
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "hd.h"

namespace wt {
namespace sdtw {

// The squared Euclidean cost between two D-vectors, accumulated in double (the cost on the fly:
// no cost tensor is ever stored). Every backend's EuclideanCost reads it.
template <class T> WT_HD double squaredDistance(const T* a, const T* b, int64_t d) {
  double s = 0;
  for (int64_t k = 0; k < d; ++k) {
    const double t = double(a[k]) - double(b[k]);
    s += t * t;
  }
  return s;
}

// The math below is written once over a lane type V: double here (every backend's scalar path), or
// the CPU's lane vectors (cpu/sdtw_avx2.cpp), which bring their own choose/exponentScale found by
// argument-dependent lookup. V supports + - * / with V and double, comparisons with V and double
// (giving a bool or a lane mask) and construction from a double.

// c ? a : b, lane by lane.
WT_HD double choose(bool c, double a, double b) { return c ? a : b; }

// 2^k from biased = k + 1023 + 1.5·2^52 (an integer k in [-1022, 1023]): k + 1023 sits in the low
// mantissa bits, and a 52-bit shift moves it into the exponent field (no double -> int64 conversion,
// which AVX2 lacks).
WT_HD double exponentScale(double biased) {
#if defined(__CUDA_ARCH__)
  return __longlong_as_double((long long)((unsigned long long)__double_as_longlong(biased) << 52));
#else
  uint64_t bits;
  memcpy(&bits, &biased, sizeof bits);
  bits <<= 52;
  double scale;
  memcpy(&scale, &bits, sizeof scale);
  return scale;
#endif
}

// exp(x) for x <= 0 (the soft-min's shifted arguments), branch-free so lanes vectorise: x = k ln2 + r
// with |r| <= ln2/2 (Cody-Waite split of ln2), the degree-12 Taylor polynomial of e^r (truncation
// < 2e-16) mostly by Estrin's scheme (a dependency chain of ~8 operations instead of Horner's 24:
// every forward cell waits on it through its left neighbour), 2^k by exponentScale. Relative error
// <= 4e-16 (< 2 ulp) on [-708, 0] (test/sdtw_kernels.test.ts measures it); below -708 (and for -inf)
// the result is 0, whose true value (< 3.3e-308) no soft-min weight can tell from 0 next to the weight 1 of the minimum.
template <class V>
WT_HD V expNonPositive(V x) {
  const auto ok = x >= -708.0;  // false also for -inf (NaN never reaches here)
  x = choose(ok, x, V(0.0));
  // k = x·log2(e) rounded to nearest by the 1.5·2^52 trick (no floor call, vectorises).
  const V kd = (x * 1.4426950408889634 + 6755399441055744.0) - 6755399441055744.0;
  const V r = (x - kd * 6.93147180369123816490e-01) - kd * 1.90821492927058770002e-10;
  // e^r = 1 + r + r²·(c2 + c3 r + ... + c12 r^10), c_k = 1/k!: the bracket by Estrin's scheme, the
  // two leading terms added last so that only one rounding happens at the result's magnitude.
  const V r2 = r * r;
  const V r4 = r2 * r2;
  const V r6 = r4 * r2;
  const V p23 = r * (1.0 / 6.0) + 0.5;
  const V p47 = (r * (1.0 / 120.0) + 1.0 / 24.0) + (r * (1.0 / 5040.0) + 1.0 / 720.0) * r2;
  const V p8c = ((r * (1.0 / 362880.0) + 1.0 / 40320.0) + (r * (1.0 / 39916800.0) + 1.0 / 3628800.0) * r2) +
                r4 * (1.0 / 479001600.0);
  const V p = (((p47 * r2 + p23) + p8c * r6) * r2 + r) + 1.0;
  return choose(ok, p * exponentScale(kd + (1023.0 + 6755399441055744.0)), V(0.0));
}

// log(s) for s in [1, 4) (a sum of three weights, one of them 1): s = 2^e·u with u in [√½, √2),
// log u = 2·atanh(f), f = (u-1)/(u+1), |f| <= 0.1716, by its odd series to f^21 (truncation < 1e-17),
// in f² by Estrin's scheme as exp's. Absolute error <= 3e-16 (tested with the exp above).
template <class V>
WT_HD V logSum(V s) {
  const auto two = s >= 2.8284271247461903;
  const auto one = s >= 1.4142135623730951;
  const V e = choose(two, V(2.0), choose(one, V(1.0), V(0.0)));
  const V u = s * choose(two, V(0.25), choose(one, V(0.5), V(1.0)));
  const V f = (u - 1.0) / (u + 1.0);
  const V f2 = f * f;
  // atanh(f)/f = 1 + f²·(1/3 + f²/5 + ... + f^18/21): the bracket by Estrin's scheme, the 1 added last.
  const V f4 = f2 * f2;
  const V f8 = f4 * f4;
  const V t03 = (f2 * (1.0 / 5.0) + 1.0 / 3.0) + (f2 * (1.0 / 9.0) + 1.0 / 7.0) * f4;
  const V t47 = (f2 * (1.0 / 13.0) + 1.0 / 11.0) + (f2 * (1.0 / 17.0) + 1.0 / 15.0) * f4;
  const V t89 = f2 * (1.0 / 21.0) + 1.0 / 19.0;
  const V q = ((t03 + t47 * f8) + t89 * (f8 * f8)) * f2 + 1.0;
  return e * 0.69314718055994530942 + 2.0 * f * q;
}

constexpr double kInf = __builtin_huge_val();

// One DP cell: R = cost + softmin_gamma(diag, up, left) and the weights with which the soft-min
// draws on each predecessor (they sum to 1; the backward's E recursion uses exactly these).
// gamma == 0 is hard DTW: the minimum, weight 1 on the first minimal predecessor in the order
// diagonal, up (i-1, j), left (i, j-1) — the tie-break of the hard path and its gradient.
template <class V>
struct CellOf {
  V r, wDiag, wUp;  // wLeft = 1 - wDiag - wUp
};
using Cell = CellOf<double>;

// The soft branch alone (gamma > 0), branch-free so lanes vectorise. The minimum's own weight is
// exp(0) = 1 exactly, so only the other two predecessors go through exp (bit for bit the three-exp
// form); infinite predecessors (outside band or lengths) get 0.
template <class V>
WT_HD CellOf<V> softMinSoft(V cost, V diag, V up, V left, double gamma, double invGamma) {
  const auto diagFirst = diag < up;
  const V mn0 = choose(diagFirst, diag, up);
  const auto notLeft = mn0 < left;  // the minimum is diag or up (the first of them on a tie), else left
  const V mn = choose(notLeft, mn0, left);
  // The two others: (up, left) if diag is the minimum, (diag, left) if up, (diag, up) if left.
  const V e1 = expNonPositive((mn - choose(notLeft, choose(diagFirst, up, diag), diag)) * invGamma);
  const V e2 = expNonPositive((mn - choose(notLeft, left, up)) * invGamma);
  const V one(1.0);
  const V ed = choose(notLeft, choose(diagFirst, one, e1), e1);
  const V eu = choose(notLeft, choose(diagFirst, e1, one), e2);
  const V el = choose(notLeft, e2, one);
  const V s = ed + eu + el;
  const V inv = 1.0 / s;
  CellOf<V> c;
  c.r = cost + mn - gamma * logSum(s);
  c.wDiag = ed * inv;
  c.wUp = eu * inv;
  return c;
}

// gamma == 0: the minimum, weight 1 on the first minimal predecessor (diagonal, up, left).
// Branch-free over a lane type as softMinSoft (diag <= up is up >= diag: no NaN reaches here).
template <class V>
WT_HD CellOf<V> hardMinOf(V cost, V diag, V up, V left) {
  const V mn0 = choose(diag < up, diag, up);
  const V mn = choose(mn0 < left, mn0, left);
  const V one(1.0), zero(0.0);
  CellOf<V> c;
  c.r = cost + mn;
  c.wDiag = choose(up >= diag, choose(left >= diag, one, zero), zero);
  c.wUp = choose(left >= up, one - c.wDiag, zero);  // up is first minimal unless diag is
  return c;
}
WT_HD Cell hardMinCell(double cost, double diag, double up, double left) { return hardMinOf(cost, diag, up, left); }

WT_HD Cell softMinCell(double cost, double diag, double up, double left, double gamma, double invGamma) {
  return gamma == 0.0 ? hardMinCell(cost, diag, up, left) : softMinSoft(cost, diag, up, left, gamma, invGamma);
}

// E below the smallest normal double counts as 0, on every schedule. Away from the soft path E
// falls fast, and without this it would cross the subnormal range over a band of cells where, on
// x86, every subnormal operand or result costs a microcode assist (~100 cycles): the CPU backward
// ran several times slower for it. Each gradient term dropped is below 2^-1022 * |x_i - y_j|.
constexpr double kMinNormalE = 2.2250738585072014e-308;
template <class V>
WT_HD V flushSubnormalE(V e) {
  return choose(e < kMinNormalE, V(0.0), e);
}

// The left weight from the two stored ones, clamped at 0 against rounding.
template <class T>
WT_HD T leftWeight(T wDiag, T wUp) {
  const T w = T(1) - wDiag - wUp;
  return w > T(0) ? w : T(0);
}

}  // namespace sdtw
}  // namespace wt
