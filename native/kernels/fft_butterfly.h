// Forward DFT butterflies of radix 2, 3, 4, 5, 7, 8 and 11 plus the twiddle product, on host and device.
// Templated on a lane type V (float, double, or a SIMD vector of rows) and its scalar type T.
#pragma once
#include "complex.h"
#include "hd.h"

namespace wt {
namespace fft {

// Component-wise helpers (not complex.h's operators) so V may be a SIMD vector mixed with T scalars.
template <class V> WT_HD cplx<V> add(cplx<V> a, cplx<V> b) { return {a.re + b.re, a.im + b.im}; }
template <class V> WT_HD cplx<V> sub(cplx<V> a, cplx<V> b) { return {a.re - b.re, a.im - b.im}; }
template <class V> WT_HD cplx<V> mulMinusI(cplx<V> a) { return {a.im, -a.re}; }
template <class V> WT_HD cplx<V> conjugate(cplx<V> a) { return {a.re, -a.im}; }
template <class V, class T> WT_HD cplx<V> scaled(cplx<V> a, T s) { return {a.re * s, a.im * s}; }
// a * w with a twiddle w shared by every lane.
template <class V, class T> WT_HD cplx<V> mulTwiddle(cplx<V> a, cplx<T> w) {
  return {a.re * w.re - a.im * w.im, a.re * w.im + a.im * w.re};
}
template <class V> WT_HD cplx<V> mulLanes(cplx<V> a, cplx<V> b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

template <class T, class V> WT_HD void dft2(cplx<V>* x) {
  const cplx<V> a = x[0], b = x[1];
  x[0] = add(a, b);
  x[1] = sub(a, b);
}

template <class T, class V> WT_HD void dft4(cplx<V>* x) {
  const cplx<V> s02 = add(x[0], x[2]), d02 = sub(x[0], x[2]);
  const cplx<V> s13 = add(x[1], x[3]), d13 = mulMinusI(sub(x[1], x[3]));
  x[0] = add(s02, s13);
  x[1] = add(d02, d13);
  x[2] = sub(s02, s13);
  x[3] = sub(d02, d13);
}

// Odd radix R from conjugate-symmetric pairs: t_p = x_p + x_{R-p}, d_p = x_p - x_{R-p};
// y_q = x_0 + sum_p cos(2 pi pq/R) t_p  -/+  i sum_p sin(2 pi pq/R) d_p for y_q / y_{R-q}.
// cosTab[m], sinTab[m] hold cos, sin(2 pi m/R) for m = 1..(R-1)/2; indices fold at compile time.
template <int R, class T, class V> WT_HD void dftOddPairs(cplx<V>* x, const T* cosTab, const T* sinTab) {
  constexpr int P = (R - 1) / 2;
  cplx<V> t[P + 1], d[P + 1];
  const cplx<V> x0 = x[0];
  cplx<V> y0 = x0;
  for (int p = 1; p <= P; ++p) {
    t[p] = add(x[p], x[R - p]);
    d[p] = sub(x[p], x[R - p]);
    y0 = add(y0, t[p]);
  }
  x[0] = y0;
  for (int q = 1; q <= P; ++q) {
    cplx<V> a = x0, b = {V(), V()};
    for (int p = 1; p <= P; ++p) {
      const int m = (p * q) % R;
      const T c = m <= P ? cosTab[m] : cosTab[R - m];
      const T s = m <= P ? sinTab[m] : -sinTab[R - m];
      a = add(a, scaled(t[p], c));
      b = add(b, scaled(d[p], s));
    }
    const cplx<V> mib = mulMinusI(b);
    x[q] = add(a, mib);
    x[R - q] = sub(a, mib);
  }
}

template <class T, class V> WT_HD void dft3(cplx<V>* x) {
  const T c[2] = {T(0), T(-0.5)};
  const T s[2] = {T(0), T(0.86602540378443864676)};
  dftOddPairs<3, T>(x, c, s);
}

template <class T, class V> WT_HD void dft5(cplx<V>* x) {
  const T c[3] = {T(0), T(0.30901699437494742410), T(-0.80901699437494742410)};
  const T s[3] = {T(0), T(0.95105651629515357212), T(0.58778525229247312917)};
  dftOddPairs<5, T>(x, c, s);
}

template <class T, class V> WT_HD void dft7(cplx<V>* x) {
  const T c[4] = {T(0), T(0.62348980185873353053), T(-0.22252093395631440429), T(-0.90096886790241912624)};
  const T s[4] = {T(0), T(0.78183148246802980871), T(0.97492791218182360702), T(0.43388373911755812048)};
  dftOddPairs<7, T>(x, c, s);
}

template <class T, class V> WT_HD void dft11(cplx<V>* x) {
  const T c[6] = {T(0), T(0.84125353283118116886), T(0.41541501300188642553), T(-0.14231483827328514044),
                  T(-0.65486073394528506406), T(-0.95949297361449738989)};
  const T s[6] = {T(0), T(0.54064081745559758211), T(0.90963199535451837141), T(0.98982144188093273238),
                  T(0.75574957435425828377), T(0.28173255684142969771)};
  dftOddPairs<11, T>(x, c, s);
}

// Radix 8 as two radix-4 halves (even, odd inputs) joined by the eighth roots of unity.
template <class T, class V> WT_HD void dft8(cplx<V>* x) {
  cplx<V> e[4] = {x[0], x[2], x[4], x[6]};
  cplx<V> o[4] = {x[1], x[3], x[5], x[7]};
  dft4<T>(e);
  dft4<T>(o);
  const T h = T(0.70710678118654752440);
  const cplx<V> o1 = {(o[1].re + o[1].im) * h, (o[1].im - o[1].re) * h};    // o1 * exp(-i pi/4)
  const cplx<V> o2 = mulMinusI(o[2]);                                       // o2 * exp(-i pi/2)
  const cplx<V> o3 = {(o[3].im - o[3].re) * h, -(o[3].re + o[3].im) * h};  // o3 * exp(-3i pi/4)
  x[0] = add(e[0], o[0]);
  x[4] = sub(e[0], o[0]);
  x[1] = add(e[1], o1);
  x[5] = sub(e[1], o1);
  x[2] = add(e[2], o2);
  x[6] = sub(e[2], o2);
  x[3] = add(e[3], o3);
  x[7] = sub(e[3], o3);
}

// The length-R forward DFT, R in {2, 3, 4, 5, 7, 8, 11}.
template <int R, class T, class V> WT_HD void dft(cplx<V>* x) {
  if constexpr (R == 2) dft2<T>(x);
  else if constexpr (R == 3) dft3<T>(x);
  else if constexpr (R == 4) dft4<T>(x);
  else if constexpr (R == 5) dft5<T>(x);
  else if constexpr (R == 7) dft7<T>(x);
  else if constexpr (R == 11) dft11<T>(x);
  else dft8<T>(x);
}

}  // namespace fft
}  // namespace wt
