// The twiddle pass that turns one h-point complex FFT into a 2h-point real FFT, and its inverse.
// R2C: Z = FFT_h(x[2j] + i x[2j+1]) -> X[0..h]; C2R: X[0..h] -> Z with FFT_h^-1(Z) = n * packed x.
#pragma once
#include "complex.h"
#include "hd.h"

namespace wt {
namespace fft {

// Bins k and h-k from Z[k], Z[h-k] and w = exp(-2 pi i k / n), 1 <= k <= h/2:
// E = (Z[k] + conj Z[h-k]) / 2, O = -i (Z[k] - conj Z[h-k]) / 2, X[k] = E + wO, X[h-k] = conj(E - wO).
template <class V, class T> WT_HD void r2cPair(cplx<V> zk, cplx<V> zhk, cplx<T> w, cplx<V>& xk, cplx<V>& xhk) {
  const V er = (zk.re + zhk.re) * T(0.5), ei = (zk.im - zhk.im) * T(0.5);
  const V orr = (zk.im + zhk.im) * T(0.5), oi = (zhk.re - zk.re) * T(0.5);
  const V wor = orr * w.re - oi * w.im, woi = orr * w.im + oi * w.re;
  xk = {er + wor, ei + woi};
  xhk = {er - wor, woi - ei};
}

// Bins 0 and h (both real) from Z[0].
template <class V> WT_HD void r2cEnds(cplx<V> z0, cplx<V>& x0, cplx<V>& xh) {
  x0 = {z0.re + z0.im, V()};
  xh = {z0.re - z0.im, V()};
}

// The inverse of r2cPair without its halving, so the unnormalised inverse FFT_h gives n * x:
// E = X[k] + conj X[h-k], O = (X[k] - conj X[h-k]) conj(w), Z[k] = E + iO, Z[h-k] = conj(E - iO).
template <class V, class T> WT_HD void c2rPair(cplx<V> xk, cplx<V> xhk, cplx<T> w, cplx<V>& zk, cplx<V>& zhk) {
  const V er = xk.re + xhk.re, ei = xk.im - xhk.im;
  const V dr = xk.re - xhk.re, di = xk.im + xhk.im;
  const V orr = dr * w.re + di * w.im, oi = di * w.re - dr * w.im;
  zk = {er - oi, ei + orr};
  zhk = {er + oi, orr - ei};
}

// Z[0] from bins 0 and h; their imaginary parts are ignored (numpy's irfft does the same).
template <class V> WT_HD cplx<V> c2rEnds(cplx<V> x0, cplx<V> xh) { return {x0.re + xh.re, x0.re - xh.re}; }

}  // namespace fft
}  // namespace wt
