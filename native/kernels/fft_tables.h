// The tables every FFT plan holds, computed on the host in double for the CPU and CUDA plans alike
// (each backend rounds them once to its precision): Stockham twiddles, real packing twiddles, Bluestein.
#pragma once
#include <stdint.h>

#include <utility>
#include <vector>

#include "fft_factor.h"
#include "fft_stockham.h"
#include "fft_twiddle.h"

namespace wt {
namespace fft {

// Longest length a Bluestein plan is built for: its convolution length M < 4n must index in int64
// and stay below 2^32 values (core/fft.cpp accepts n <= 2^30).
constexpr int64_t kMaxBluesteinLength = int64_t(1) << 30;

// Every pass's twiddles, concatenated: pass p's block starts at offsets[p] and holds
// exp(-2 pi i r k / (ns R)) at [k][r-1] for k < ns (StockhamPass::twiddle indexes it).
struct StockhamTwiddles {
  std::vector<cplx<double>> values;
  std::vector<int64_t> offsets;
};

inline StockhamTwiddles stockhamTwiddles(const std::vector<int>& radices) {
  StockhamTwiddles tw;
  int64_t ns = 1;
  for (int radix : radices) {
    tw.offsets.push_back((int64_t)tw.values.size());
    for (int64_t k = 0; k < ns; ++k)
      for (int r = 1; r < radix; ++r) tw.values.push_back(rootOfUnity(r * k, ns * radix));
    ns *= radix;
  }
  return tw;
}

// The forward DFT of x in double through the kernels' passes (the host reference the plans use).
inline std::vector<cplx<double>> stockhamForward(std::vector<cplx<double>> x, const std::vector<int>& radices) {
  const int64_t n = (int64_t)x.size();
  const StockhamTwiddles tw = stockhamTwiddles(radices);
  std::vector<cplx<double>> y(x.size());
  int64_t ns = 1;
  for (size_t p = 0; p < radices.size(); ++p) {
    withRadix(radices[p], [&](auto radix) {
      constexpr int R = decltype(radix)::value;
      const StockhamPass<R, int64_t> pass(n, ns);
      const cplx<double>* t = tw.values.data() + tw.offsets[p];
      for (int64_t j = 0; j < pass.m; ++j) {
        const int64_t k = j % ns;
        cplx<double> v[R];
        for (int r = 0; r < R; ++r) v[r] = x[pass.input(j, r)];
        applyTwiddles(pass, v, t, k);
        dft<R, double>(v);
        for (int r = 0; r < R; ++r) y[pass.output(j, k, r)] = v[r];
      }
    });
    std::swap(x, y);
    ns *= radices[p];
  }
  return x;
}

// The real-transform packing twiddles of an even length n: exp(-2 pi i k / n), k <= n/4 (fft_real.h).
inline std::vector<cplx<double>> realPackTwiddles(int64_t n) {
  std::vector<cplx<double>> w;
  for (int64_t k = 0; k <= n / 4; ++k) w.push_back(rootOfUnity(k, n));
  return w;
}

// Bluestein's tables for a length n < kMaxBluesteinLength with a prime factor above 11:
// X = chirp . IFFT_M(FFT_M(chirp . x) . spectrum), with M = bluesteinLength(2n - 1).
struct BluesteinTables {
  int64_t m = 0;
  std::vector<cplx<double>> chirp;     // exp(-pi i k^2 / n), k < n
  std::vector<cplx<double>> spectrum;  // FFT_M(b) / M, b[k] = b[M-k] = conj(chirp[k]) for k < n, else 0
};

inline BluesteinTables bluesteinTables(int64_t n) {
  BluesteinTables t;
  t.m = bluesteinLength(2 * n - 1);
  t.chirp.resize(n);
  std::vector<cplx<double>> b(t.m, cplx<double>{0, 0});
  for (int64_t k = 0; k < n; ++k) {
    t.chirp[k] = bluesteinChirp(k, n);
    b[k] = {t.chirp[k].re, -t.chirp[k].im};
    if (k > 0) b[t.m - k] = b[k];
  }
  t.spectrum = stockhamForward(std::move(b), stockhamRadices(t.m));
  for (cplx<double>& z : t.spectrum) z = {z.re / (double)t.m, z.im / (double)t.m};
  return t;
}

// A table rounded once to the plan's precision.
template <class T>
std::vector<cplx<T>> rounded(const std::vector<cplx<double>>& values) {
  std::vector<cplx<T>> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = {(T)values[i].re, (T)values[i].im};
  return out;
}

}  // namespace fft
}  // namespace wt
