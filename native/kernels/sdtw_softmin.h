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

// exp(x) for x <= 0 (the soft-min's shifted arguments), branch-free so loops over lanes vectorise:
// x = k ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2), a degree-12 Taylor polynomial for e^r
// (truncation < 2e-16), 2^k by the exponent bits. Relative error <= 4e-16 (< 2 ulp) on [-708, 0]
// (test/sdtw_kernels.test.ts measures it); below -708 (and for -inf) the result is 0, whose true
// value (< 3.3e-308) no soft-min weight can tell from 0 next to the weight 1 of the minimum.
WT_HD double expNonPositive(double x) {
  const bool under = !(x >= -708.0);  // also -inf and NaN-free inputs only
  x = under ? 0.0 : x;
  // k = x·log2(e) rounded to nearest by the 1.5·2^52 trick (no floor call, vectorises).
  const double kd = (x * 1.4426950408889634 + 6755399441055744.0) - 6755399441055744.0;
  const double r = (x - kd * 6.93147180369123816490e-01) - kd * 1.90821492927058770002e-10;
  double p = 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^k without a double -> int64 conversion (none in AVX2): k + 1023 lands in the low mantissa
  // bits of k + 1023 + 1.5·2^52, and a 52-bit shift moves it into the exponent field.
  const double biased = kd + (1023.0 + 6755399441055744.0);
#if defined(__CUDA_ARCH__)
  const double scale = __longlong_as_double((long long)((unsigned long long)__double_as_longlong(biased) << 52));
#else
  uint64_t bits;
  memcpy(&bits, &biased, sizeof bits);
  bits <<= 52;
  double scale;
  memcpy(&scale, &bits, sizeof scale);
#endif
  return under ? 0.0 : p * scale;
}

// log(s) for s in [1, 4) (a sum of three weights, one of them 1): s = 2^e·u with u in [√½, √2),
// log u = 2·atanh(f), f = (u-1)/(u+1), |f| <= 0.1716, by its odd series to f^21 (truncation < 1e-17).
// Absolute error <= 3e-16 (tested with the exp above).
WT_HD double logSum(double s) {
  const double e = s >= 2.8284271247461903 ? 2.0 : s >= 1.4142135623730951 ? 1.0 : 0.0;
  const double u = s * (e == 2.0 ? 0.25 : e == 1.0 ? 0.5 : 1.0);
  const double f = (u - 1.0) / (u + 1.0);
  const double f2 = f * f;
  double q = 1.0 / 21.0;
  q = q * f2 + 1.0 / 19.0;
  q = q * f2 + 1.0 / 17.0;
  q = q * f2 + 1.0 / 15.0;
  q = q * f2 + 1.0 / 13.0;
  q = q * f2 + 1.0 / 11.0;
  q = q * f2 + 1.0 / 9.0;
  q = q * f2 + 1.0 / 7.0;
  q = q * f2 + 1.0 / 5.0;
  q = q * f2 + 1.0 / 3.0;
  q = q * f2 + 1.0;
  return e * 0.69314718055994530942 + 2.0 * f * q;
}

constexpr double kInf = __builtin_huge_val();

// One DP cell: R = cost + softmin_gamma(diag, up, left) and the weights with which the soft-min
// draws on each predecessor (they sum to 1; the backward's E recursion uses exactly these).
// gamma == 0 is hard DTW: the minimum, weight 1 on the first minimal predecessor in the order
// diagonal, up (i-1, j), left (i, j-1) — the tie-break of the hard path and its gradient.
struct Cell {
  double r, wDiag, wUp;  // wLeft = 1 - wDiag - wUp
};

// The soft branch alone (gamma > 0), branch-free so a loop over lanes vectorises. The minimum's own
// weight is exp(0) = 1; infinite predecessors (outside band or lengths) get 0.
WT_HD Cell softMinSoft(double cost, double diag, double up, double left, double gamma, double invGamma) {
  const double mn0 = diag < up ? diag : up;
  const double mn = mn0 < left ? mn0 : left;
  const double ed = expNonPositive((mn - diag) * invGamma);
  const double eu = expNonPositive((mn - up) * invGamma);
  const double el = expNonPositive((mn - left) * invGamma);
  const double s = ed + eu + el;
  const double inv = 1.0 / s;
  Cell c;
  c.r = cost + mn - gamma * logSum(s);
  c.wDiag = ed * inv;
  c.wUp = eu * inv;
  return c;
}

// gamma == 0: the minimum, weight 1 on the first minimal predecessor (diagonal, up, left).
WT_HD Cell hardMinCell(double cost, double diag, double up, double left) {
  const double mn0 = diag < up ? diag : up;
  const double mn = mn0 < left ? mn0 : left;
  const bool d = diag <= up && diag <= left;
  const bool u = !d && up <= left;
  Cell c;
  c.r = cost + mn;
  c.wDiag = d ? 1.0 : 0.0;
  c.wUp = u ? 1.0 : 0.0;
  return c;
}

WT_HD Cell softMinCell(double cost, double diag, double up, double left, double gamma, double invGamma) {
  return gamma == 0.0 ? hardMinCell(cost, diag, up, left) : softMinSoft(cost, diag, up, left, gamma, invGamma);
}

// The left weight from the two stored ones, clamped at 0 against rounding.
template <class T>
WT_HD T leftWeight(T wDiag, T wUp) {
  const T w = T(1) - wDiag - wUp;
  return w > T(0) ? w : T(0);
}

}  // namespace sdtw
}  // namespace wt
