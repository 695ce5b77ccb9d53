// A plain interleaved complex value usable on host and device (std::complex is host-only).
// Layout-compatible with std::complex<T> and cuFloatComplex: {re, im}.
#pragma once
#include <cmath>
#include "hd.h"

namespace wt {

template <class T>
struct cplx {
  T re, im;
};

template <class T> WT_HD cplx<T> operator+(cplx<T> a, cplx<T> b) { return {a.re + b.re, a.im + b.im}; }
template <class T> WT_HD cplx<T> operator-(cplx<T> a, cplx<T> b) { return {a.re - b.re, a.im - b.im}; }
template <class T> WT_HD cplx<T> operator-(cplx<T> a) { return {-a.re, -a.im}; }
template <class T> WT_HD cplx<T> operator*(cplx<T> a, cplx<T> b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
template <class T> WT_HD cplx<T> operator*(cplx<T> a, T s) { return {a.re * s, a.im * s}; }
// Smith's algorithm: avoids overflow in |b|^2 for large denominators.
template <class T> WT_HD cplx<T> operator/(cplx<T> a, cplx<T> b) {
  if (std::fabs(b.re) >= std::fabs(b.im)) {
    T r = b.im / b.re, d = b.re + b.im * r;
    return {(a.re + a.im * r) / d, (a.im - a.re * r) / d};
  }
  T r = b.re / b.im, d = b.re * r + b.im;
  return {(a.re * r + a.im) / d, (a.im * r - a.re) / d};
}
template <class T> WT_HD cplx<T> conj(cplx<T> a) { return {a.re, -a.im}; }
template <class T> WT_HD T abs2(cplx<T> a) { return a.re * a.re + a.im * a.im; }

template <class T> struct is_cplx { static constexpr bool value = false; };
template <class T> struct is_cplx<cplx<T>> { static constexpr bool value = true; };
// The real scalar type underneath T (T itself for real types).
template <class T> struct real_of { using type = T; };
template <class T> struct real_of<cplx<T>> { using type = T; };

}  // namespace wt
