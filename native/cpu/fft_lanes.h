// The CPU FFT schedule: W rows at once, one per SIMD lane, so every butterfly is plain vector
// arithmetic with no shuffles; rows are transposed into lanes on load and back on store.
// Included by one .cpp per ISA, each with its own traits L {V, T, W, transpose}.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "../kernels/fft_butterfly.h"
#include "../kernels/fft_real.h"
#include "../kernels/fft_stockham.h"
#include "fft_plan.h"

namespace wt {
namespace cpu {

// Buffer layout: element k of a pack is cplx<V> {re of rows 0..W-1, im of rows 0..W-1}.
// An inverse transform is swap(FFT(swap(x))) with swap exchanging re and im, folded into the
// load and store, so plans and butterflies only exist for the forward sign.
template <class L>
struct LaneFft {
  using V = typename L::V;
  using T = typename L::T;
  using CV = cplx<V>;
  static constexpr int W = L::W;
  static constexpr int C = W / 2;  // complex values of one row per vector

  static V loadV(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
  static void storeV(T* p, V v) { std::memcpy(p, &v, sizeof(V)); }

  // dst[c] <- complex c of rows 0..nrows-1 (row r at src + r * stride, in T), lanes past nrows 0.
  static void loadComplex(const T* src, int64_t stride, int nrows, int64_t count, CV* dst, bool swapped) {
    int64_t c = 0;
    for (; c + C <= count; c += C) {
      V v[W];
      for (int r = 0; r < W; ++r) v[r] = r < nrows ? loadV(src + r * stride + 2 * c) : V();
      L::transpose(v);
      for (int q = 0; q < C; ++q) dst[c + q] = swapped ? CV{v[2 * q + 1], v[2 * q]} : CV{v[2 * q], v[2 * q + 1]};
    }
    for (; c < count; ++c) {
      CV z = {V(), V()};
      for (int r = 0; r < nrows; ++r) {
        z.re[r] = src[r * stride + 2 * c];
        z.im[r] = src[r * stride + 2 * c + 1];
      }
      dst[c] = swapped ? CV{z.im, z.re} : z;
    }
  }

  static void storeComplex(const CV* src, int64_t count, T* dst, int64_t stride, int nrows, T scale, bool swapped) {
    int64_t c = 0;
    for (; c + C <= count; c += C) {
      V v[W];
      for (int q = 0; q < C; ++q) {
        v[2 * q] = (swapped ? src[c + q].im : src[c + q].re) * scale;
        v[2 * q + 1] = (swapped ? src[c + q].re : src[c + q].im) * scale;
      }
      L::transpose(v);
      for (int r = 0; r < nrows; ++r) storeV(dst + r * stride + 2 * c, v[r]);
    }
    for (; c < count; ++c) {
      const V re = (swapped ? src[c].im : src[c].re) * scale, im = (swapped ? src[c].re : src[c].im) * scale;
      for (int r = 0; r < nrows; ++r) {
        dst[r * stride + 2 * c] = re[r];
        dst[r * stride + 2 * c + 1] = im[r];
      }
    }
  }

  // dst[c] <- {x[c], 0} of rows 0..nrows-1.
  static void loadReal(const T* src, int64_t stride, int nrows, int64_t count, CV* dst) {
    int64_t c = 0;
    for (; c + W <= count; c += W) {
      V v[W];
      for (int r = 0; r < W; ++r) v[r] = r < nrows ? loadV(src + r * stride + c) : V();
      L::transpose(v);
      for (int q = 0; q < W; ++q) dst[c + q] = CV{v[q], V()};
    }
    for (; c < count; ++c) {
      CV z = {V(), V()};
      for (int r = 0; r < nrows; ++r) z.re[r] = src[r * stride + c];
      dst[c] = z;
    }
  }

  static void storeRealParts(const CV* src, int64_t count, T* dst, int64_t stride, int nrows, T scale) {
    int64_t c = 0;
    for (; c + W <= count; c += W) {
      V v[W];
      for (int q = 0; q < W; ++q) v[q] = src[c + q].re * scale;
      L::transpose(v);
      for (int r = 0; r < nrows; ++r) storeV(dst + r * stride + c, v[r]);
    }
    for (; c < count; ++c) {
      const V re = src[c].re * scale;
      for (int r = 0; r < nrows; ++r) dst[r * stride + c] = re[r];
    }
  }

  // One radix-R pass of kernels/fft_stockham.h's index map, butterflies in order j = g ns + k so the
  // twiddle row k and the output runs need no division.
  template <int R>
  static void stockhamPass(const CV* in, CV* out, int64_t n, int64_t ns, const cplx<T>* tw) {
    const fft::StockhamPass<R, int64_t> pass(n, ns);
    if (ns == 1) {  // first pass: every twiddle is 1
      for (int64_t j = 0; j < pass.m; ++j) {
        CV x[R];
        for (int r = 0; r < R; ++r) x[r] = in[pass.input(j, r)];
        fft::dft<R, T>(x);
        for (int r = 0; r < R; ++r) out[pass.output(j, 0, r)] = x[r];
      }
      return;
    }
    for (int64_t g = 0; g < pass.m; g += ns) {
      for (int64_t k = 0; k < ns; ++k) {
        const int64_t j = g + k;
        CV x[R];
        for (int r = 0; r < R; ++r) x[r] = in[pass.input(j, r)];
        fft::applyTwiddles(pass, x, tw, k);
        fft::dft<R, T>(x);
        for (int r = 0; r < R; ++r) out[pass.output(j, k, r)] = x[r];
      }
    }
  }

  // Runs a Stockham plan ping-ponging between a and b; returns the buffer holding the result.
  // Forced inline: as a call of its own (GCC's choice once the radix dispatch became a lambda) the
  // short rows measured a few percent slower.
  __attribute__((always_inline)) static CV* runStockham(const ComplexPlan<T>& p, CV* a, CV* b) {
    int64_t ns = 1;
    for (size_t s = 0; s < p.radices.size(); ++s) {
      const cplx<T>* tw = p.twiddles.data() + p.twiddleOffset[s];
      fft::withRadix(p.radices[s], [&](auto radix) { stockhamPass<decltype(radix)::value>(a, b, p.n, ns, tw); });
      ns *= p.radices[s];
      std::swap(a, b);
    }
    return a;
  }

  // Forward DFT of a[0..n) (a and b hold workLength()+1 values); returns a or b.
  static CV* run(const ComplexPlan<T>& p, CV* a, CV* b) {
    if (!p.isBluestein()) return runStockham(p, a, b);
    const ComplexPlan<T>& inner = *p.bluesteinInner;
    for (int64_t j = 0; j < p.n; ++j) a[j] = fft::mulTwiddle(a[j], p.chirp[j]);
    for (int64_t j = p.n; j < inner.n; ++j) a[j] = CV{V(), V()};
    CV* spectrum = runStockham(inner, a, b);
    CV* other = spectrum == a ? b : a;
    // The inverse FFT_M is conj(FFT_M(conj .)); 1/M is already in chirpSpectrum.
    for (int64_t k = 0; k < inner.n; ++k)
      spectrum[k] = fft::conjugate(fft::mulTwiddle(spectrum[k], p.chirpSpectrum[k]));
    CV* conv = runStockham(inner, spectrum, other);
    for (int64_t k = 0; k < p.n; ++k) conv[k] = fft::mulTwiddle(fft::conjugate(conv[k]), p.chirp[k]);
    return conv;
  }

  static CV* scratchPair(int64_t work) {
    return static_cast<CV*>(fftScratch(2 * (size_t)(work + 1) * sizeof(CV)));
  }

  static bool complexRows(const ComplexPlan<T>& p, const cplx<T>* in, cplx<T>* out, int64_t rowBegin,
                          int64_t rowEnd, bool inverse, T scale) {
    const int64_t n = p.n, work = p.workLength();
    CV* a = scratchPair(work);
    if (!a) return false;
    CV* b = a + work + 1;
    for (int64_t r = rowBegin; r < rowEnd; r += W) {
      const int nrows = (int)std::min<int64_t>(W, rowEnd - r);
      loadComplex(reinterpret_cast<const T*>(in + r * n), 2 * n, nrows, n, a, inverse);
      const CV* y = run(p, a, b);
      storeComplex(y, n, reinterpret_cast<T*>(out + r * n), 2 * n, nrows, scale, inverse);
    }
    return true;
  }

  static bool realForwardRows(const RealPlan<T>& p, const T* in, cplx<T>* out, int64_t rowBegin, int64_t rowEnd,
                              T scale) {
    const int64_t n = p.n, bins = n / 2 + 1, h = n / 2, work = p.inner->workLength();
    CV* a = scratchPair(work);
    if (!a) return false;
    CV* b = a + work + 1;
    for (int64_t r = rowBegin; r < rowEnd; r += W) {
      const int nrows = (int)std::min<int64_t>(W, rowEnd - r);
      CV* x;
      if (n % 2 == 0) {  // x[2j] + i x[2j+1] is the row read as h complex values
        loadComplex(in + r * n, n, nrows, h, a, false);
        x = run(*p.inner, a, b);
        fft::r2cEnds(x[0], x[0], x[h]);
        for (int64_t k = 1; k <= h / 2; ++k) fft::r2cPair(x[k], x[h - k], p.packTwiddles[k], x[k], x[h - k]);
      } else {
        loadReal(in + r * n, n, nrows, n, a);
        x = run(*p.inner, a, b);
      }
      storeComplex(x, bins, reinterpret_cast<T*>(out + r * bins), 2 * bins, nrows, scale, false);
    }
    return true;
  }

  static bool realInverseRows(const RealPlan<T>& p, const cplx<T>* in, T* out, int64_t rowBegin, int64_t rowEnd,
                              T scale) {
    const int64_t n = p.n, bins = n / 2 + 1, h = n / 2, work = p.inner->workLength();
    CV* a = scratchPair(work);
    if (!a) return false;
    CV* b = a + work + 1;
    for (int64_t r = rowBegin; r < rowEnd; r += W) {
      const int nrows = (int)std::min<int64_t>(W, rowEnd - r);
      loadComplex(reinterpret_cast<const T*>(in + r * bins), 2 * bins, nrows, bins, a, false);
      if (n % 2 == 0) {  // Z in swapped form, so the forward plan computes the inverse
        const CV z0 = fft::c2rEnds(a[0], a[h]);
        a[0] = CV{z0.im, z0.re};
        for (int64_t k = 1; k <= h / 2; ++k) {
          CV zk, zhk;
          fft::c2rPair(a[k], a[h - k], p.packTwiddles[k], zk, zhk);
          a[k] = CV{zk.im, zk.re};
          a[h - k] = CV{zhk.im, zhk.re};
        }
        const CV* z = run(*p.inner, a, b);
        storeComplex(z, h, out + r * n, n, nrows, scale, true);
      } else {  // conj of the full Hermitian spectrum: the real part of its forward DFT is n x
        a[0].im = V();
        for (int64_t k = 1; k < bins; ++k) {
          a[n - k] = a[k];
          a[k] = fft::conjugate(a[k]);
        }
        const CV* x = run(*p.inner, a, b);
        storeRealParts(x, n, out + r * n, n, nrows, scale);
      }
    }
    return true;
  }

  static LaneKernels<T> kernels() { return {W, &complexRows, &realForwardRows, &realInverseRows}; }
};

}  // namespace cpu
}  // namespace wt
